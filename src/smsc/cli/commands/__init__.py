"""One module per ``smsc`` sub-command (or pair of related ones); see ``smsc.cli._app``."""
