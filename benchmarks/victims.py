"""Victims at ten times Missouri's size: see ``_victims.py`` (the benchmark itself).

A script named ``victims.py`` puts its folder first on the import path, where ``import victims`` would
find this file instead of the app; so it runs ``_victims.py`` from the repository's root, with this
folder last on the path.
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CODE = (
    f"import sys; sys.path.append({str(HERE)!r}); import runpy; "
    f"runpy.run_path({str(HERE / '_victims.py')!r}, run_name='__main__')"
)

if __name__ == "__main__":
    sys.exit(subprocess.run([sys.executable, "-c", CODE, *sys.argv[1:]], cwd=HERE.parent, check=False).returncode)
