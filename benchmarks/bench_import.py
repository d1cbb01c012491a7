"""Import speed: Kubernetes manifests against a plain libyaml parse of the same files.

Writes N workloads (a Deployment and its Service each, with env values naming other
Services, labels and probes, as real manifests have) into N / 5 files, then times:

- the floor: reading every file and parsing it with PyYAML's C loader
  (``yaml.load_all(text, Loader=yaml.CSafeLoader)``), nothing else;
- ``layermodel.interop.import_kubernetes(folder)``: the one reader (with its refusals
  and positions), the mapping, and the model with provenance.

It prints the median of each and their ratio (the target is 2.0 at 10,000 workloads in
2,000 files), and ``--json`` keeps the figures.

    python benchmarks/bench_import.py --workloads 10000 --repeat 3
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

from layermodel.interop import import_kubernetes

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  labels:
    app: {name}
    app.kubernetes.io/part-of: {product}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
        app.kubernetes.io/part-of: {product}
    spec:
      serviceAccountName: {name}
      containers:
        - name: server
          image: registry.example.com/{product}/{name}:1.{n}.0
          ports:
            - containerPort: 8080
          env:
            - name: PORT
              value: "8080"
{env}          readinessProbe:
            httpGet:
              path: /healthz
              port: 8080
          resources:
            requests:
              cpu: 100m
              memory: 64Mi
            limits:
              cpu: 200m
              memory: 128Mi
---
apiVersion: v1
kind: Service
metadata:
  name: {name}
  labels:
    app: {name}
spec:
  type: ClusterIP
  selector:
    app: {name}
  ports:
    - name: http
      port: 80
      targetPort: 8080
"""


def write_manifests(folder: Path, workloads: int, per_file: int = 5, seed: int = 1) -> None:
    """``workloads`` Deployments with their Services, ``per_file`` to a file; each
    names two to four others in its env (``host:port``, URLs)."""
    rng = random.Random(seed)
    names = [f"svc-{i:05d}" for i in range(workloads)]
    for start in range(0, workloads, per_file):
        docs = []
        for i in range(start, min(start + per_file, workloads)):
            env = ""
            for j, target in enumerate(rng.sample(names, k=rng.randint(2, 4))):
                if target == names[i]:
                    continue
                value = f"{target}:80" if j % 2 else f"http://{target}.default.svc:80/api"
                env += f'            - name: DEP_{j}_ADDR\n              value: "{value}"\n'
            docs.append(
                DEPLOYMENT.format(name=names[i], product=f"product-{i % 40}", n=i % 9, env=env)
            )
        (folder / f"manifests-{start // per_file:05d}.yaml").write_text("---\n".join(docs))


def floor(folder: Path) -> float:
    """Seconds to read and parse every file with the plain C loader."""
    start = time.perf_counter()
    for path in sorted(folder.glob("*.yaml")):
        list(yaml.load_all(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))
    return time.perf_counter() - start


def importing(folder: Path) -> tuple[float, int, int]:
    """Seconds to import the folder, and the components and dependencies found."""
    start = time.perf_counter()
    eco = import_kubernetes(folder).ecosystem
    took = time.perf_counter() - start
    return took, len(eco.components), sum(len(c.depends_on) for c in eco.components)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workloads", type=int, default=10_000)
    parser.add_argument("--per-file", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", metavar="FILE", help="write the figures as JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_manifests(folder, args.workloads, args.per_file)
        files = len(list(folder.glob("*.yaml")))
        floors, runs = [], []
        found = (0, 0)
        for _ in range(args.repeat):
            gc.collect()
            floors.append(floor(folder))
            gc.collect()
            took, components, dependencies = importing(folder)
            runs.append(took)
            found = (components, dependencies)
    f, r = statistics.median(floors), statistics.median(runs)
    print(
        f"{args.workloads:,} workloads in {files:,} files -> {found[0]:,} components, "
        f"{found[1]:,} dependencies\n"
        f"  CSafeLoader parse  {f:7.2f} s  ({min(floors):.2f}-{max(floors):.2f})\n"
        f"  import kubernetes  {r:7.2f} s  ({min(runs):.2f}-{max(runs):.2f})\n"
        f"  ratio              x{r / f:.2f} (target 2.0)"
    )
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "workloads": args.workloads,
                    "files": files,
                    "floor": floors,
                    "import": runs,
                    "ratio": r / f,
                    "components": found[0],
                    "dependencies": found[1],
                }
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
