"""Time and peak memory of one long generated English report: python bench/long_text.py CHARS CHUNK_CHARS."""
import random
import resource
import sys
import time
from dataclasses import replace

from undercurrent.extract.pipeline import default_extractor
from undercurrent.models import Report

random.seed(1)
places = ["Hyesan", "Chongjin", "Hoeryong", "Sinuiju", "Pyongyang", "Musan", "Kimchaek"]
inst = ["Ministry of State Security agents", "Police", "Border guards", "Officials of the inminban"]
verbs = ["arrested", "detained", "fined", "searched the houses of", "questioned"]
def para(i):
    return (f"{random.choice(inst)} in {random.choice(places)} {random.choice(verbs)} {random.randint(2,30)} "
            f"traders for selling Chinese phones on March {i % 27 + 1}, a source in North Hamgyong Province said. "
            f"Rice cost {random.randint(4000,6000)} won per kg in the market, and one dollar bought "
            f"{random.randint(7000,9000)} won. The source added that residents were warned not to approach the border at night.")
size = int(sys.argv[1])
chunk = int(sys.argv[2])
text, i = "", 0
parts = []
while sum(map(len, parts)) < size:
    parts.append(para(i))
    i += 1
text = "\n\n".join(parts)[:size]
ex = default_extractor()
ex = replace(ex, chunk_chars=chunk)
ex.nlp.max_length = 30_000_000
t = time.perf_counter()
r = ex.extract(Report.from_fields(text=text, published="2021-05"))
dt = time.perf_counter() - t
print(f"chars={len(text)} chunk={chunk} seconds={dt:.1f} events={len(r.events)} obs={len(r.observations)} "
      f"peak_rss_mb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024:.0f}", flush=True)
