# -*- test-case-name: tests.engine.test_tls -*-
"""
Telnet over TLS: the certificate a TLS port serves, and the port itself.

C{tessera run --tls-port 4443} listens for telnet inside TLS (what MUD
clients call "SSL": Mudlet, TinTin++ with C{ssl}, MUSHclient through a
proxy, C{openssl s_client}). The connections are the telnet door's own: the
same L{engine.protocols.telnet.TelnetServerFactory}, so the same sessions,
login rules and limits, and connections waiting to log in are counted
across both ports.

The certificate is C{--tls-cert} (a PEM file holding the certificate, its
chain and its private key). Without one, a self-signed certificate for
C{localhost} is made on first run (L{self_signed}) and kept beside the world
database, so that a local server has TLS with nothing to set up; clients
must be told to accept it (it proves nothing to them).
"""

from __future__ import annotations

import datetime
import ipaddress
import os
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from twisted.application import internet
from twisted.internet import ssl
from twisted.logger import Logger

from engine.network import KeyFileError, Listening

_log = Logger()

#: The file name of the certificate made on first run, beside the world database.
SELF_SIGNED = "tls-selfsigned.pem"
#: How long a certificate made on first run is valid.
VALID_DAYS = 825


class CertificateError(KeyFileError):
    """
    The certificate cannot be used; the message says why and what to do.
    """


def self_signed(path: str, hostname: str = "localhost") -> None:
    """
    Write a new self-signed certificate for C{hostname} (and the loopback
    addresses) with its private key (ECDSA P-256) to C{path}, readable by
    its owner only.
    """
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hostname),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Tessera (self-signed)")])
    now = datetime.datetime.now(datetime.UTC)
    names: list[x509.GeneralName] = [x509.DNSName(hostname),
                                     x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                     x509.IPAddress(ipaddress.ip_address("::1"))]
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    pem = (certificate.public_bytes(serialization.Encoding.PEM)
           + key.private_bytes(serialization.Encoding.PEM,
                               serialization.PrivateFormat.PKCS8,
                               serialization.NoEncryption()))
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    temporary = path + ".new"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(pem)
    os.replace(temporary, path)


def default_path(db: str | None) -> str:
    """
    Where the certificate made on first run is kept: beside the world
    database C{db}, or in C{var/} for a world kept in memory.
    """
    folder = os.path.dirname(os.path.abspath(db)) if db else os.path.abspath("var")
    return os.path.join(folder, SELF_SIGNED)


def server_options(path: str | None, db: str | None) -> tuple[Any, str]:
    """
    The TLS settings for a server: from C{path}, or (if None) from the
    self-signed certificate beside C{db}, made now if there is none.

    @return: the Twisted context factory and the file it came from.
    @raise CertificateError: the file is missing (when named), unreadable, or
        holds no certificate and matching private key.
    """
    if path is None:
        path = default_path(db)
        if not os.path.exists(path):
            self_signed(path)
            _log.info("made a self-signed TLS certificate for local use at {path} (clients "
                      "must be told to accept it; give --tls-cert for a real one)", path=path)
    try:
        with open(path, "rb") as pem:
            data = pem.read()
    except OSError as e:
        raise CertificateError(f"cannot read the TLS certificate {path}: {e.strerror}") from None
    try:
        certificate = ssl.PrivateCertificate.loadPEM(data)
        chain = [ssl.Certificate.loadPEM(block).original
                 for block in _certificates(data)[1:]]
        options = ssl.CertificateOptions(privateKey=certificate.privateKey.original,
                                         certificate=certificate.original,
                                         extraCertChain=chain or None)
    except Exception as e:  # pyOpenSSL raises several kinds; each means the same here
        raise CertificateError(
            f"{path} holds no usable TLS certificate and private key ({e.__class__.__name__}); "
            "give --tls-cert a PEM file with both") from None
    return options, path


def _certificates(data: bytes) -> list[bytes]:
    # Each PEM certificate block in data, in order.
    marker, end = b"-----BEGIN CERTIFICATE-----", b"-----END CERTIFICATE-----"
    blocks = []
    start = data.find(marker)
    while start >= 0:
        stop = data.find(end, start)
        if stop < 0:
            break
        blocks.append(data[start:stop + len(end)] + b"\n")
        start = data.find(marker, stop)
    return blocks


class TLSListener(Listening, internet.SSLServer):
    """
    The TLS port: says where it listens once it does, and which port it got.
    """

    announcement = ("Tessera is listening for telnet over TLS on {interface}:{port} (connect "
                    "with: openssl s_client -connect {interface}:{port}, or a MUD client's SSL "
                    "option)")
