#!/usr/bin/env python3
"""Writes the GPU RIM test fixtures (test only -- not NVIDIA) next to this script.

A test RIM PKI (root "TEST ONLY RIM Root", signer "TEST ONLY RIM Signer", P-384, openssl CLI) and,
for the real NEAR AI 8-GPU evidence in tests/data/attestation/, one driver and one VBIOS RIM per
RIM id the GPUs ask for, in the plugin's signed "vep-rim-v1" format, golden values = the measured
ones (every value measured at an index across the GPUs). Even measurement indices go to the driver
RIM, odd ones to the VBIOS RIM. Re-running changes every key and the root pin; the tests read the
pin from rim-root.pem. The RIM ids are derived here independently of the C++ code, so the tests
also cross-check the plugin's id derivation.
"""
import base64
import json
import os
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPORT = os.path.join(HERE, "..", "attestation", "nearai_cloud_report_gpt_oss_120b.json")


def openssl(*args, data=None):
    return subprocess.run(["openssl", *args], input=data, check=True, capture_output=True).stdout


def make_pki():
    # `openssl ca` (not `req -x509` / `x509 -req`) so that the validity starts in the past
    # (2020-01-01 .. 2049-12-31): the tests verify at 2026-01-01.
    with tempfile.TemporaryDirectory() as work:
        cnf = os.path.join(work, "pki.cnf")
        with open(cnf, "w") as f:
            f.write(f"""[req]
distinguished_name = dn
[dn]
[root_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[signer_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ca]
default_ca = test_ca
[test_ca]
database = {work}/index.txt
new_certs_dir = {work}
serial = {work}/serial
default_md = sha384
policy = any_policy
unique_subject = no
copy_extensions = none
[any_policy]
commonName = supplied
organizationName = optional
""")
        open(os.path.join(work, "index.txt"), "w").close()
        with open(os.path.join(work, "serial"), "w") as f:
            f.write("52494D01\n")
        for name, subject, signer, ext in (("rim-root", "TEST ONLY RIM Root", None, "root_ext"),
                                           ("rim-signer", "TEST ONLY RIM Signer", "rim-root", "signer_ext")):
            key = os.path.join(HERE, name + ".key")
            openssl("ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", key)
            csr = os.path.join(work, name + ".csr")
            openssl("req", "-new", "-key", key, "-sha384", "-config", cnf, "-subj",
                    "/CN=" + subject + "/O=NOT NVIDIA Corporation", "-out", csr)
            issuer = ["-selfsign", "-keyfile", key] if signer is None else \
                ["-cert", os.path.join(HERE, signer + ".pem"), "-keyfile", os.path.join(HERE, signer + ".key")]
            openssl("ca", "-batch", "-config", cnf, "-notext", "-in", csr, *issuer, "-startdate", "20200101000000Z",
                    "-enddate", "20491231235959Z", "-extfile", cnf, "-extensions", ext,
                    "-out", os.path.join(HERE, name + ".pem"))


def opaque(evidence):
    pos = 37 + 4
    record_length = int.from_bytes(evidence[pos + 1:pos + 4], "little")
    pos += 4
    blocks, record, i = {}, evidence[pos:pos + record_length], 0
    while i < len(record):
        index, size = record[i], int.from_bytes(record[i + 2:i + 4], "little")
        blocks[index] = record[i + 7:i + 4 + size].hex()  # DMTF: type u8, size u16, value
        i += 4 + size
    pos += record_length + 32
    length = int.from_bytes(evidence[pos:pos + 2], "little")
    data, fields, i = evidence[pos + 2:pos + 2 + length], {}, 0
    while i < len(data):
        kind, size = int.from_bytes(data[i:i + 2], "little"), int.from_bytes(data[i + 2:i + 4], "little")
        fields[kind] = data[i + 4:i + 4 + size]
        i += 4 + size
    return blocks, fields


def text(value):
    return value.split(b"\0")[0].decode()


def main():
    make_pki()
    report = json.load(open(REPORT))
    payload = json.loads(report["model_attestations"][0]["nvidia_payload"])
    rims = {}
    for entry in payload["evidence_list"]:
        blocks, fields = opaque(base64.b64decode(entry["evidence"]))
        v = fields[6]
        vbios = "%02X%02X%02X%02X%02X" % (v[3], v[2], v[1], v[0], v[4])
        driver_id = "NV_GPU_DRIVER_GH100_" + text(fields[3])
        vbios_id = "NV_GPU_VBIOS_%s_%s_%s_%s" % (text(fields[17]), text(fields[18]), text(fields[15]), vbios)
        rims.setdefault(driver_id, ("driver", text(fields[3]), {}))
        rims.setdefault(vbios_id, ("vbios", ".".join(vbios[i:i + 2] for i in range(0, 10, 2)), {}))
        for index, value in blocks.items():
            rims[driver_id if index % 2 == 0 else vbios_id][2].setdefault(index, set()).add(value)
    chain = open(os.path.join(HERE, "rim-signer.pem")).read() + open(os.path.join(HERE, "rim-root.pem")).read()
    os.makedirs(os.path.join(HERE, "rims"), exist_ok=True)
    for rim_id, (component, version, golden) in sorted(rims.items()):
        body = json.dumps({"rim_id": rim_id, "component": component, "version": version,
                           "measurements": [{"index": i, "active": True, "values": sorted(golden[i])}
                                            for i in sorted(golden)]}, separators=(",", ":")).encode()
        with tempfile.NamedTemporaryFile() as f:
            f.write(body)
            f.flush()
            signature = openssl("dgst", "-sha384", "-sign", os.path.join(HERE, "rim-signer.key"), f.name)
        envelope = {"format": "vep-rim-v1", "payload": base64.b64encode(body).decode(), "certificate_chain": chain,
                    "signature": base64.b64encode(signature).decode()}
        with open(os.path.join(HERE, "rims", rim_id + ".json"), "w") as f:
            json.dump(envelope, f, indent=1)
            f.write("\n")
        print(rim_id)


if __name__ == "__main__":
    main()
