"""Public identifiers that carry their own check, told from keys by it: a Bitcoin address (Base58Check's four bytes of
double SHA-256, or Bech32's six characters of BCH code) and an IPFS content id (a version 0 one is the SHA-256
multihash in base58, a version 1 one names its version, codec and multihash in base32).

Each reads as a key by its look (a run of letters and digits, mixed case, no words), and a notebook about a
blockchain or IPFS quoted them as "(not shown)". A random key passes a checksum about once in a billion (2**-32 for
Base58Check, 2**-30 for Bech32) and an IPFS id's fixed bytes as rarely, so a key stays hidden whatever it looks like.
"""

from __future__ import annotations

import hashlib
import re

_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE58_VALUES = {ch: n for n, ch in enumerate(_BASE58)}
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_VALUES = {ch: n for n, ch in enumerate(_BECH32)}
_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"  # multibase "b": RFC 4648 lowercase, no padding
_BASE32_VALUES = {ch: n for n, ch in enumerate(_BASE32)}

_LEGACY_ADDRESS = re.compile(r"[13mn2][1-9A-HJ-NP-Za-km-z]{25,34}")  # mainnet 1, 3; testnet m, n, 2
_SEGWIT_ADDRESS = re.compile(r"(?:bc|tb|bcrt)1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{8,87}")
_CID_V0 = re.compile(r"Qm[1-9A-HJ-NP-Za-km-z]{44}")
_CID_V1 = re.compile(r"b[a-z2-7]{50,100}")
_SHA256_MULTIHASH = b"\x12\x20"
_CID_CODECS = {0x55, 0x70, 0x71, 0x72, 0x0129}  # raw, dag-pb, dag-cbor, libp2p-key, dag-json


def checked_id(value: str) -> bool:
    """Whether ``value`` is a Bitcoin address or an IPFS content id whose check holds."""
    if _LEGACY_ADDRESS.fullmatch(value):
        decoded = _base58(value)
        if decoded is not None and len(decoded) == 25 and _base58check(decoded):
            return True
    if _SEGWIT_ADDRESS.fullmatch(value.lower()) and (value.islower() or value.isupper()):
        return _bech32_checks(value.lower())
    if _CID_V0.fullmatch(value):
        decoded = _base58(value)
        return decoded is not None and len(decoded) == 34 and decoded.startswith(_SHA256_MULTIHASH)
    if _CID_V1.fullmatch(value):
        return _cid_v1(value[1:])
    return False


def _base58(value: str) -> bytes | None:
    number = 0
    for ch in value:
        number = number * 58 + _BASE58_VALUES[ch]
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    zeros = len(value) - len(value.lstrip("1"))  # each leading "1" is a zero byte
    return b"\0" * zeros + body


def _base58check(decoded: bytes) -> bool:
    payload, check = decoded[:-4], decoded[-4:]
    return hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] == check


def _bech32_checks(value: str) -> bool:
    """BIP 173 and BIP 350: the checksum of the human-readable part and the data is 1 (Bech32) or 0x2bc830a3 (Bech32m)."""
    hrp, _, data = value.rpartition("1")
    values = [_BECH32_VALUES[ch] for ch in data]
    expanded = [ord(ch) >> 5 for ch in hrp] + [0] + [ord(ch) & 31 for ch in hrp]
    return len(values) >= 6 and _polymod(expanded + values) in (1, 0x2BC830A3)


def _polymod(values: list[int]) -> int:
    generator = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    check = 1
    for value in values:
        top = check >> 25
        check = (check & 0x1FFFFFF) << 5 ^ value
        for n in range(5):
            check ^= generator[n] if (top >> n) & 1 else 0
    return check


def _cid_v1(value: str) -> bool:
    """A version 1 content id in base32: version 1, a codec this list knows, a SHA-256 multihash of 32 bytes, nothing
    after."""
    bits = number = 0
    decoded = bytearray()
    for ch in value:
        number = (number << 5) | _BASE32_VALUES[ch]
        bits += 5
        if bits >= 8:
            bits -= 8
            decoded.append((number >> bits) & 0xFF)
    if number & ((1 << bits) - 1):  # padding bits must be zero
        return False
    data = bytes(decoded)
    if not data.startswith(b"\x01"):
        return False
    codec, rest = _varint(data[1:])
    return codec in _CID_CODECS and rest.startswith(_SHA256_MULTIHASH) and len(rest) == 34


def _varint(data: bytes) -> tuple[int, bytes]:
    number = shift = 0
    for n, byte in enumerate(data[:9]):
        number |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return number, data[n + 1:]
    return -1, b""
