"""Measures the detector of another checkout (its bot/ and content/) on this checkout's
safety corpus: how docs/safety.md's first-contact tables were made.

    git worktree add /tmp/old c214c76
    .venv/bin/python tests/safety_first_contact.py /tmp/old
"""

import importlib
import importlib.util
import sys
from pathlib import Path

root = Path(sys.argv[1])
sys.path.insert(0, str(root))
here = Path(__file__).resolve().with_name("safety_corpus.py")
spec = importlib.util.spec_from_file_location("sc", here)
assert spec is not None and spec.loader is not None
sc = importlib.util.module_from_spec(spec)
sys.modules["sc"] = sc
spec.loader.exec_module(sc)
Detector = importlib.import_module("bot.pure.safety").Detector
detector = Detector.load(root / "content")
print(sc.HEADER)
for lang in sc.LANGUAGES:
    for part in sc.PARTS:
        found = sc.measure(detector, lang, part)
        print(found.row(), f"{found.ms:.3f} ms")
