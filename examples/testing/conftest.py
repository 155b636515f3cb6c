"""Makes the example apps in ``examples/`` importable, as your own app would be."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
