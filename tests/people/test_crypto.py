"""people.crypto: Fernet with keys from settings, first key encrypts, every key decrypts."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from jixing.people import crypto

OLD, NEW = crypto.generate_key(), crypto.generate_key()
ID_NUMBER = "14010019900101123X"


def test_encrypt_round_trips_and_hides_the_value():
    token = crypto.encrypt(ID_NUMBER)
    assert crypto.decrypt(token) == ID_NUMBER
    assert ID_NUMBER not in token
    assert crypto.looks_encrypted(token) is True


def test_encrypt_gives_a_new_token_each_time():
    # A random IV per value: equal numbers cannot be spotted by equal ciphertexts.
    assert crypto.encrypt(ID_NUMBER) != crypto.encrypt(ID_NUMBER)


def test_decrypt_of_a_value_made_with_an_unknown_key_fails_clearly():
    with override_settings(ENCRYPTION_KEYS=[OLD]):
        token = crypto.encrypt("10012345678")
    with override_settings(ENCRYPTION_KEYS=[NEW]), pytest.raises(crypto.DecryptionError) as info:
        crypto.decrypt(token)
    assert str(info.value) == (
        "无法解密：该密文不是用 JIXING_ENCRYPTION_KEYS 中任何一个密钥加密的，或已被改动"
        "（是否在 jixing rotate-keys 完成前就删掉了旧密钥？）"
    )


def test_decrypt_refuses_a_changed_token():
    token = crypto.encrypt("10012345678")
    changed = token[:40] + ("A" if token[40] != "A" else "B") + token[41:]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(changed)


def test_every_configured_key_decrypts_and_the_first_encrypts():
    with override_settings(ENCRYPTION_KEYS=[OLD]):
        old_token = crypto.encrypt(ID_NUMBER)
    with override_settings(ENCRYPTION_KEYS=[NEW, OLD]):
        assert crypto.decrypt(old_token) == ID_NUMBER
        assert crypto.is_current(old_token) is False
        new_token = crypto.reencrypt(old_token)
        assert crypto.is_current(new_token) is True
    with override_settings(ENCRYPTION_KEYS=[NEW]):
        assert crypto.decrypt(new_token) == ID_NUMBER


def test_a_malformed_key_is_refused_without_showing_it():
    with (
        override_settings(ENCRYPTION_KEYS=[NEW, "not-a-fernet-key"]),
        pytest.raises(ImproperlyConfigured) as info,
    ):
        crypto.check_keys()
    assert "第 2 个密钥格式不对" in str(info.value)
    assert "not-a-fernet-key" not in str(info.value)


def test_no_key_at_all_is_refused():
    with override_settings(ENCRYPTION_KEYS=[]), pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x")
