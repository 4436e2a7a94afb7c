"""The benchmark harness: `make bench N=1000000` (see `python -m bench --help`).

It seeds a fresh PostgreSQL database, serves the API under gunicorn as deployed
and times every endpoint next to the raw SQL that answers the same question.
"""

import sys
from pathlib import Path

# The shared development helpers (devtools) and the app live in backend/.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "backend"))
