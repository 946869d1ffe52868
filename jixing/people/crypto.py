"""Authenticated encryption of personal numbers kept in full (Fernet: AES-128-CBC with HMAC-SHA256).

Keys come from the environment (settings.ENCRYPTION_KEYS, env JIXING_ENCRYPTION_KEYS, comma-separated):
the first key encrypts, every key decrypts. Rotation: put a new key first, run `jixing rotate-keys` to
re-encrypt every stored value with it, check with `jixing rotate-keys --check`, then drop the old key.

Fernet rather than a hand-made AES-GCM format: the token carries its own version and timestamp, tampering
is detected by the MAC, and MultiFernet already implements "first key encrypts, all decrypt" and rotation.
"""

from __future__ import annotations

import binascii
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

# Every Fernet token starts with the version byte 0x80 followed by a 64-bit timestamp whose high 32 bits
# stay zero until 2106, which base64 writes as "gAAAAA". A phone or ID number never looks like that.
TOKEN_PREFIX = "gAAAAA"
GENERATE_HINT = 'python3 -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'


class DecryptionError(Exception):
    """A stored value that none of the configured keys can decrypt (a key dropped too early, a value from
    another instance, or a changed ciphertext). Never carries the ciphertext or any plain value."""


def generate_key() -> str:
    return Fernet.generate_key().decode()


def _fernet(key: str, position: int) -> Fernet:
    try:
        return Fernet(key.encode())
    except (ValueError, binascii.Error):
        # The key itself must never appear in the message: only where it stands in the list.
        raise ImproperlyConfigured(
            f"JIXING_ENCRYPTION_KEYS 中第 {position} 个密钥格式不对：应为 32 字节的 URL 安全 Base64 编码"
            f"（44 个字符）。生成新密钥：{GENERATE_HINT}"
        ) from None


@lru_cache(maxsize=4)
def _ciphers(keys: tuple[str, ...]) -> tuple[MultiFernet, Fernet]:
    if not keys:
        raise ImproperlyConfigured(
            f"未配置加密密钥：请设置 JIXING_ENCRYPTION_KEYS。生成新密钥：{GENERATE_HINT}"
        )
    fernets = [_fernet(key, position) for position, key in enumerate(keys, start=1)]
    return MultiFernet(fernets), fernets[0]


def _configured() -> tuple[MultiFernet, Fernet]:
    return _ciphers(tuple(settings.ENCRYPTION_KEYS))


@receiver(setting_changed)
def _forget_keys(*, setting: str, **kwargs) -> None:
    # Tests swap keys with override_settings; a production process reads them once.
    if setting == "ENCRYPTION_KEYS":
        _ciphers.cache_clear()


def check_keys() -> None:
    """Raise ImproperlyConfigured when the configured keys are missing or malformed (called at start-up)."""
    _configured()


def encrypt(plain: str) -> str:
    """The Fernet token of `plain` under the first key (a new random IV each time)."""
    multi, _ = _configured()
    return multi.encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    """The plain value of a token made with any configured key; DecryptionError otherwise."""
    multi, _ = _configured()
    try:
        return multi.decrypt(token.encode()).decode()
    except InvalidToken:
        raise DecryptionError(
            "无法解密：该密文不是用 JIXING_ENCRYPTION_KEYS 中任何一个密钥加密的，或已被改动"
            "（是否在 jixing rotate-keys 完成前就删掉了旧密钥？）"
        ) from None


def is_current(token: str) -> bool:
    """Whether the token is already encrypted with the first key (rotation has nothing to do for it)."""
    _, primary = _configured()
    try:
        primary.decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def reencrypt(token: str) -> str:
    """The same plain value under the first key; DecryptionError when no configured key opens it."""
    multi, _ = _configured()
    try:
        return multi.rotate(token.encode()).decode()
    except InvalidToken:
        raise DecryptionError(
            "无法重新加密：该密文不是用 JIXING_ENCRYPTION_KEYS 中任何一个密钥加密的，或已被改动"
        ) from None


def looks_encrypted(value: str) -> bool:
    return value.startswith(TOKEN_PREFIX)
