#!/bin/sh
# Generates the TDX *test* PKI used by sim/tdx_forge and the tdx-dcap plugin tests.
#
# Run once; the outputs are committed so that the root fingerprint pinned in test configs stays
# stable. Re-running replaces every key and certificate (and therefore the fingerprint).
# Nothing here is trusted by production configs: the default pin is the real Intel SGX Root CA.
#
# Outputs (PEM): root-ca.{key,pem}, pck-ca.{key,pem}, pck-leaf.{key,pem}, attestation-key.pem,
# written to this directory, or to the directory given as $1 (relative to this one): the tests'
# "untrusted root with the same subject name" PKI is `./generate.sh rogue-same-subject`.
set -eu
cd "$(dirname "$0")"
mkdir -p "${1:-.}"
cd "${1:-.}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

genkey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }

genkey root-ca.key
genkey pck-ca.key
genkey pck-leaf.key
genkey attestation-key.pem

cat >"$work/ext.cnf" <<'CNF'
[root_ext]
basicConstraints = critical, CA:TRUE, pathlen:1
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[ca_ext]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[leaf_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
1.2.840.113741.1.13.1 = ASN1:SEQUENCE:sgx_extensions

[sgx_extensions]
ppid = SEQUENCE:sgx_ppid
tcb = SEQUENCE:sgx_tcb
pceid = SEQUENCE:sgx_pceid
fmspc = SEQUENCE:sgx_fmspc
sgxtype = SEQUENCE:sgx_type

[sgx_ppid]
oid = OID:1.2.840.113741.1.13.1.1
value = FORMAT:HEX,OCTETSTRING:7e57000000000000000000000000bbbb

[sgx_tcb]
oid = OID:1.2.840.113741.1.13.1.2
value = SEQUENCE:sgx_tcb_components

[sgx_tcb_components]
c01 = SEQUENCE:tcb01
c02 = SEQUENCE:tcb02
c03 = SEQUENCE:tcb03
c04 = SEQUENCE:tcb04
c05 = SEQUENCE:tcb05
c06 = SEQUENCE:tcb06
c07 = SEQUENCE:tcb07
c08 = SEQUENCE:tcb08
c09 = SEQUENCE:tcb09
c10 = SEQUENCE:tcb10
c11 = SEQUENCE:tcb11
c12 = SEQUENCE:tcb12
c13 = SEQUENCE:tcb13
c14 = SEQUENCE:tcb14
c15 = SEQUENCE:tcb15
c16 = SEQUENCE:tcb16
pcesvn = SEQUENCE:tcb17
cpusvn = SEQUENCE:tcb18

[tcb01]
oid = OID:1.2.840.113741.1.13.1.2.1
value = INTEGER:3
[tcb02]
oid = OID:1.2.840.113741.1.13.1.2.2
value = INTEGER:3
[tcb03]
oid = OID:1.2.840.113741.1.13.1.2.3
value = INTEGER:2
[tcb04]
oid = OID:1.2.840.113741.1.13.1.2.4
value = INTEGER:2
[tcb05]
oid = OID:1.2.840.113741.1.13.1.2.5
value = INTEGER:4
[tcb06]
oid = OID:1.2.840.113741.1.13.1.2.6
value = INTEGER:1
[tcb07]
oid = OID:1.2.840.113741.1.13.1.2.7
value = INTEGER:0
[tcb08]
oid = OID:1.2.840.113741.1.13.1.2.8
value = INTEGER:5
[tcb09]
oid = OID:1.2.840.113741.1.13.1.2.9
value = INTEGER:0
[tcb10]
oid = OID:1.2.840.113741.1.13.1.2.10
value = INTEGER:0
[tcb11]
oid = OID:1.2.840.113741.1.13.1.2.11
value = INTEGER:0
[tcb12]
oid = OID:1.2.840.113741.1.13.1.2.12
value = INTEGER:0
[tcb13]
oid = OID:1.2.840.113741.1.13.1.2.13
value = INTEGER:0
[tcb14]
oid = OID:1.2.840.113741.1.13.1.2.14
value = INTEGER:0
[tcb15]
oid = OID:1.2.840.113741.1.13.1.2.15
value = INTEGER:0
[tcb16]
oid = OID:1.2.840.113741.1.13.1.2.16
value = INTEGER:0
[tcb17]
oid = OID:1.2.840.113741.1.13.1.2.17
value = INTEGER:13
[tcb18]
oid = OID:1.2.840.113741.1.13.1.2.18
value = FORMAT:HEX,OCTETSTRING:03030202040100050000000000000000

[sgx_pceid]
oid = OID:1.2.840.113741.1.13.1.3
value = FORMAT:HEX,OCTETSTRING:0000

[sgx_fmspc]
oid = OID:1.2.840.113741.1.13.1.4
value = FORMAT:HEX,OCTETSTRING:7e5700000000

[sgx_type]
oid = OID:1.2.840.113741.1.13.1.5
value = ENUMERATED:0
CNF

# `openssl ca` (not `x509 -req`) so the validity window can start in the past: test clocks such as
# FakeHost's default (2023-11-14) must fall inside it.
cat >>"$work/ext.cnf" <<CNF

[ca]
default_ca = test_ca

[test_ca]
database = $work/index.txt
new_certs_dir = $work
serial = $work/serial
default_md = sha256
policy = any_policy
unique_subject = no
email_in_dn = no
copy_extensions = none

[any_policy]
commonName = supplied
organizationName = optional
localityName = optional
stateOrProvinceName = optional
countryName = optional
CNF
: >"$work/index.txt"
echo 7E5700 >"$work/serial"

issue() {  # issue <csr> <ca-cert|-selfsign> <ca-key> <extensions> <out>
  if [ "$2" = "-selfsign" ]; then signer="-selfsign"; else signer="-cert $2"; fi
  # shellcheck disable=SC2086
  openssl ca -batch -config "$work/ext.cnf" -notext -in "$1" $signer -keyfile "$3" \
    -startdate 20200101000000Z -enddate 20491231235959Z -extfile "$work/ext.cnf" -extensions "$4" -out "$5"
}

dn() { echo "/CN=$1/O=NOT Intel Corporation/L=Santa Clara/ST=CA/C=US"; }

openssl req -new -key root-ca.key -sha256 -out "$work/root.csr" -config "$work/ext.cnf" \
  -subj "$(dn 'TEST ONLY Intel SGX Root CA (venice-e2ee-proxy test PKI)')"
issue "$work/root.csr" -selfsign root-ca.key root_ext root-ca.pem

openssl req -new -key pck-ca.key -sha256 -out "$work/pck-ca.csr" -config "$work/ext.cnf" \
  -subj "$(dn 'TEST ONLY Intel SGX PCK Platform CA')"
issue "$work/pck-ca.csr" root-ca.pem root-ca.key ca_ext pck-ca.pem

openssl req -new -key pck-leaf.key -sha256 -out "$work/pck-leaf.csr" -config "$work/ext.cnf" \
  -subj "$(dn 'TEST ONLY Intel SGX PCK Certificate')"
issue "$work/pck-leaf.csr" pck-ca.pem pck-ca.key leaf_ext pck-leaf.pem

openssl verify -x509_strict -CAfile root-ca.pem -untrusted pck-ca.pem pck-leaf.pem
printf 'root SHA-256 (DER): '
openssl x509 -in root-ca.pem -outform DER | openssl dgst -sha256 -r | cut -d' ' -f1
