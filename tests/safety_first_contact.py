import importlib.util
import sys
from pathlib import Path

root = Path(sys.argv[1])
sys.path.insert(0, str(root))
spec = importlib.util.spec_from_file_location("sc", "/work/main/tests/safety_corpus.py")
sc = importlib.util.module_from_spec(spec)
sys.modules["sc"] = sc
spec.loader.exec_module(sc)
from bot.safety import Detector

d = Detector.load(root / "content")
print(sc.HEADER)
for lang in sc.LANGUAGES:
    for part in sc.PARTS:
        f = sc.measure(d, lang, part)
        print(f.row(), f"{f.ms:.3f} ms")
