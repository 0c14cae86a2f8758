#!/usr/bin/python3
"""Schema check of the manifests in this folder, offline, with Debian's python3-kubernetes.

Each document of each *.yaml file (but kustomization.yaml) is deserialised into the official
Kubernetes client model of its apiVersion/kind: a field of the wrong type or a missing required
field is an error. The model is then serialised back and must equal the document: a field the
schema does not know (a typo, a field of another API version) is dropped by the model, so it
shows up as a difference and is an error too. Run by .ci/run; usage: check-manifests.py [DIR].
"""
import json
import pathlib
import sys

import yaml
from kubernetes import client

# apiVersion, kind -> the client model that holds its schema.
MODELS = {
    ("v1", "Secret"): "V1Secret",
    ("v1", "Service"): "V1Service",
    ("apps/v1", "Deployment"): "V1Deployment",
    ("policy/v1", "PodDisruptionBudget"): "V1PodDisruptionBudget",
    ("networking.k8s.io/v1", "Ingress"): "V1Ingress",
}


class FakeResponse:
    """What ApiClient.deserialize() reads: the JSON text of a response."""

    def __init__(self, document):
        self.data = json.dumps(document)


def differences(original, round_trip, path=""):
    """Paths where `round_trip` lost or changed something of `original`."""
    if isinstance(original, dict) and isinstance(round_trip, dict):
        found = []
        for key, value in original.items():
            if key not in round_trip:
                found.append(f"{path}.{key}: not a field of this kind")
            else:
                found += differences(value, round_trip[key], f"{path}.{key}")
        return found
    if isinstance(original, list) and isinstance(round_trip, list) and len(original) == len(round_trip):
        found = []
        for index, (a, b) in enumerate(zip(original, round_trip)):
            found += differences(a, b, f"{path}[{index}]")
        return found
    if original != round_trip:
        return [f"{path}: {original!r} reads as {round_trip!r}"]
    return []


def check(document, api):
    key = (document.get("apiVersion"), document.get("kind"))
    if key not in MODELS:
        return [f"unknown apiVersion/kind {key}"]
    try:
        model = api.deserialize(FakeResponse(document), MODELS[key])
    except (ValueError, TypeError) as error:
        return [str(error)]
    return differences(document, api.sanitize_for_serialization(model))


def main():
    folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent)
    api = client.ApiClient()
    problems, checked = [], 0
    for path in sorted(folder.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for document in yaml.safe_load_all(path.read_text()):
            if document is None:
                continue
            checked += 1
            name = f"{path.name}: {document.get('kind')} {document.get('metadata', {}).get('name')}"
            problems += [f"{name}: {problem}" for problem in check(document, api)]
    for problem in problems:
        print(problem, file=sys.stderr)
    if checked == 0:
        print("no manifests found", file=sys.stderr)
        return 1
    print(f"{checked} manifests checked against the Kubernetes {client.__version__} client schemas: "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
