"""PAdES signatures (pyHanko) on the documents people must be able to trust: the certificates and the
final list. A PDF reader shows the signer and says whether the file changed since; a changed byte breaks
the signature.

The key and certificate are the province's (a PKCS#12 file, or a PEM key and certificate); without them,
outside production, `demo_pair` makes a self-signed pair once under the data directory — the reader then
shows the signature as made by an untrusted certificate, which is what a demo should show.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

if TYPE_CHECKING:
    from pyhanko.sign.signers import Signer, SimpleSigner

DEMO_NAME = "集星演示签名（非正式）"


@dataclass(frozen=True)
class SigningKey:
    """Where the signing key is: a PKCS#12 file with its passphrase, or a PEM key and certificate."""

    pkcs12: Path | None = None
    key: Path | None = None
    cert: Path | None = None
    passphrase: str = ""

    def signer(self) -> SimpleSigner:
        # pyHanko is imported where it is used: it is heavy, and only signing needs it.
        from pyhanko.sign import signers

        secret = self.passphrase.encode() if self.passphrase else None
        if self.pkcs12 is not None:
            loaded = signers.SimpleSigner.load_pkcs12(str(self.pkcs12), passphrase=secret)
        else:
            loaded = signers.SimpleSigner.load(str(self.key), str(self.cert), key_passphrase=secret)
        if loaded is None:  # pyHanko logs why and returns None
            raise ValueError("签名证书或私钥无法读取（文件损坏或口令错误）")
        return loaded


def demo_pair(directory: Path) -> SigningKey:
    """The demo's self-signed key and certificate under `directory` (made on the first call, kept after):
    ECDSA P-256, valid ten years, key usage digital signature and non-repudiation."""
    key_path, cert_path = directory / "demo-signing-key.pem", directory / "demo-signing-cert.pem"
    if key_path.exists() and cert_path.exists():
        return SigningKey(key=key_path, cert=cert_path)
    directory.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "山西省"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "集星（演示）"),
            x509.NameAttribute(NameOID.COMMON_NAME, DEMO_NAME),
        ]
    )
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )  # fmt: skip
        .sign(key, hashes.SHA256())
    )
    # Written under a temporary name and renamed, so a second process never reads half a file.
    for path, data in (
        (key_path, key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )),
        (cert_path, cert.public_bytes(serialization.Encoding.PEM)),
    ):  # fmt: skip
        partial = path.with_suffix(".part")
        partial.write_bytes(data)
        partial.chmod(0o600)
        partial.replace(path)
    return SigningKey(key=key_path, cert=cert_path)


def sign_pdf(content: bytes, signer: Signer, *, reason: str, location: str = "") -> bytes:
    """`content` with one PAdES baseline-B signature (SHA-256) in an invisible field 「签名」, appended as
    an incremental update: the document as rendered stays byte for byte the same before it."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(content))
    meta = signers.PdfSignatureMetadata(
        field_name="签名",
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location or None,
    )
    out = signers.sign_pdf(writer, meta, signer=signer, bytes_reserved=reserved_bytes(signer))
    return out.getvalue()


def reserved_bytes(signer: Signer) -> int:
    """Room for the CMS signature: its certificates and 4 kB for the rest (signature value, attributes).
    Without it pyHanko makes a dummy signature first to measure, which doubles the cost of each one."""
    certificates = [signer.signing_cert, *getattr(signer, "cert_registry", ())]
    needed = sum(len(c.dump()) for c in certificates if c is not None) + 4096
    return -(-needed // 256) * 256  # pyHanko wants an even number
