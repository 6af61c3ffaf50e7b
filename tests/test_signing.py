"""
Signing and verifying credentials: iecmh_core._signing.

The cryptosuite is checked against W3C's eddsa-rdfc-2022 test vectors, the
signed credentials against 1EdTech's Open Badges 3.0 schema, both read from
../shared/interop; the contexts come from there too, never the network.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import hashlib
import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519
from joserfc import jwt
from joserfc.jwk import OKPKey

import linked_data
from iecmh_core import (
    SigningError,
    VerificationError,
    bundled_framework,
    export_ob3,
    load_portfolio,
    new_signing_key,
    sign_credential,
    sign_credential_jwt,
    verify_credential,
)
from iecmh_core._cli import main
from iecmh_core._signing import (
    _SECRET_PREFIX,
    _canonical,
    _decode,
    key_controller,
    proof_value,
)

ISSUED = dt.date(2025, 6, 1)
CREATED = dt.datetime(2025, 6, 1, 12, 30, tzinfo=dt.UTC)
HOLDER = "did:example:holder-0205"
PORTFOLIO = {
    "id": "holder-0205",
    "code_of_ethics_signed_on": "2025-03-01",
    "endorsements": [
        {
            "category": "IFS",
            "rulebook": "mi-aimh-2024",
            "awarded_on": "2025-04-01",
            "status": "active",
        }
    ],
}


@pytest.fixture
def vectors(shared_dir) -> Path:
    """W3C's eddsa-rdfc-2022 test vectors, as published."""
    return shared_dir / "interop" / "vc_di_eddsa"


@pytest.fixture
def contexts(shared_dir) -> dict[str, Any]:
    """Every JSON-LD context the credentials and vectors name."""
    return linked_data.contexts(shared_dir)


@pytest.fixture
def ob3(shared_dir):
    """A validator for the official Open Badges 3.0 credential schema."""
    path = shared_dir / "interop" / "ob_v3p0"
    schema = json.loads(
        (path / "achievementcredential.schema.json").read_text("utf-8")
    )
    return jsonschema.Draft201909Validator(
        schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
    )


@pytest.fixture(scope="module")
def key() -> dict[str, str]:
    """A did:key issuer's key."""
    return new_signing_key()


def credential(issuer: str, **options: Any) -> dict[str, Any]:
    """An IFS credential by *issuer*, the holder named by a DID."""
    options.setdefault("subject_id", HOLDER)
    return export_ob3(
        load_portfolio(PORTFOLIO),
        "IFS",
        issued_on=ISSUED,
        issuer_id=issuer,
        **options,
    )


def leaves(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Yield the path of every string, number and boolean in *data*."""
    if isinstance(data, dict):
        for name, value in data.items():
            yield from leaves(value, (*path, name))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from leaves(value, (*path, index))
    else:
        yield path


def changed(data: Any, path: tuple[Any, ...]) -> Any:
    """A deep copy of *data* with the value at *path* changed."""
    copied = copy.deepcopy(data)
    *parents, last = path
    holder = copied
    for step in parents:
        holder = holder[step]
    value = holder[last]
    if isinstance(value, bool):
        holder[last] = not value
    elif isinstance(value, int | float):
        holder[last] = value + 1
    elif value.startswith(("urn:", "did:", "http")):
        holder[last] = value + "0"
    else:
        holder[last] = value + " (changed)"
    return copied


class TestW3cTestVector:
    """
    The cryptosuite reproduces W3C's eddsa-rdfc-2022 test vector.
    """

    def test_proof_value(self, vectors, contexts):
        """The proofValue is the vector's, byte for byte."""
        signed = json.loads((vectors / "signedDataInt.json").read_text())
        pair = json.loads((vectors / "keyPair.json").read_text())
        options = dict(signed["proof"])
        expected = options.pop("proofValue")
        secret = _decode(pair["privateKeyMultibase"], _SECRET_PREFIX, "key")

        assert expected == proof_value(signed, options, secret, contexts)

    def test_canonical_forms(self, vectors, contexts):
        """The canonical document and proof options are the vector's."""
        signed = json.loads((vectors / "signedDataInt.json").read_text())
        config = json.loads((vectors / "proofConfigDataInt.json").read_text())
        unsecured = {k: v for k, v in signed.items() if k != "proof"}

        assert (vectors / "canonDocDataInt.txt").read_bytes() == _canonical(
            unsecured, contexts
        )
        assert (vectors / "proofCanonDataInt.txt").read_bytes() == (
            _canonical(config, contexts)
        )

    def test_the_vector_key_pair(self, vectors):
        """The vector's secret key is the one of its public key."""
        pair = json.loads((vectors / "keyPair.json").read_text())

        assert "did:key:" + pair["publicKeyMultibase"] == key_controller(pair)

    def test_the_vector_pairs_an_https_issuer_with_a_did_key(
        self, vectors, contexts
    ):
        """
        The vector's issuer does not control its key, which verifiers
        must refuse, and verify_credential does, saying why.
        """
        signed = json.loads((vectors / "signedDataInt.json").read_text())

        with pytest.raises(VerificationError, match="expected the issuer"):
            verify_credential(signed, contexts=contexts)


class TestDataIntegrity:
    """
    sign_credential embeds an eddsa-rdfc-2022 proof that verifies.
    """

    def test_round_trip(self, key, contexts, ob3):
        """
        The signed credential verifies, passes the official schema with
        the proof as an array, and the original is not changed.
        """
        unsigned = credential(key["controller"])
        before = copy.deepcopy(unsigned)

        signed = sign_credential(
            unsigned, key, contexts=contexts, created=CREATED
        )

        assert before == unsigned
        assert [] == [e.message for e in ob3.iter_errors(signed)]
        assert unsigned == verify_credential(signed, contexts=contexts)
        assert [
            {
                "type": "DataIntegrityProof",
                "cryptosuite": "eddsa-rdfc-2022",
                "created": "2025-06-01T12:30:00Z",
                "verificationMethod": key["id"],
                "proofPurpose": "assertionMethod",
            }
        ] == [
            {k: v for k, v in p.items() if k != "proofValue"}
            for p in signed["proof"]
        ]
        assert signed["proof"][0]["proofValue"].startswith("z")

    def test_the_schema_wants_an_array(self, key, contexts, ob3):
        """The official schema refuses a proof given as one object."""
        signed = sign_credential(
            credential(key["controller"]), key, contexts=contexts
        )
        signed["proof"] = signed["proof"][0]

        assert ["$.proof"] == [e.json_path for e in ob3.iter_errors(signed)]

    @pytest.mark.parametrize("options", [{"salt": "pepper"}, {}])
    def test_no_subject_id_needed(self, key, contexts, options):
        """A holder named by a (salted) identifier can be signed for."""
        unsigned = credential(key["controller"], subject_id=None, **options)

        signed = sign_credential(unsigned, key, contexts=contexts)

        assert "id" not in signed["credentialSubject"]
        assert unsigned == verify_credential(signed, contexts=contexts)

    def test_every_field_is_covered(self, key, contexts):
        """Changing any value of the credential fails verification."""
        signed = sign_credential(
            credential(
                key["controller"],
                subject_id=None,
                salt="pepper",
                framework=bundled_framework(
                    "mi-aimh-competency-guidelines-2024"
                ),
            ),
            key,
            contexts=contexts,
        )
        paths = [p for p in leaves(signed) if p[0] != "proof"]
        passed = []

        for path in paths:
            try:
                verify_credential(changed(signed, path), contexts=contexts)
            except VerificationError:
                continue
            passed.append(path)

        assert len(paths) > 60
        assert [] == passed

    @pytest.mark.parametrize(
        "field", ["created", "proofValue", "verificationMethod"]
    )
    def test_the_proof_is_covered(self, key, contexts, field):
        """Changing the proof's own options fails verification."""
        signed = sign_credential(
            credential(key["controller"]), key, contexts=contexts
        )

        with pytest.raises(VerificationError):
            verify_credential(
                changed(signed, ("proof", 0, field)), contexts=contexts
            )

    def test_a_second_proof(self, key, contexts):
        """Signing again adds a proof; both verify."""
        other = new_signing_key(controller=key["controller"])
        other["id"] = key["controller"] + "#second"
        signed = sign_credential(
            credential(key["controller"]), key, contexts=contexts
        )

        twice = sign_credential(signed, key, contexts=contexts)

        assert 2 == len(twice["proof"])
        verify_credential(twice, contexts=contexts)

    def test_issuer_must_control_the_key(self, key, contexts):
        """An https issuer with a did:key is refused, clearly."""
        unsigned = credential("https://badges.example.org/issuers/mi-aimh")

        with pytest.raises(SigningError) as caught:
            sign_credential(unsigned, key, contexts=contexts)

        assert str(caught.value) == (
            "expected the issuer to control the verification method: "
            "issuer.id is https://badges.example.org/issuers/mi-aimh, the "
            f"method {key['id']} is controlled by {key['controller']}; give "
            f"the credential the issuer id {key['controller']} (issuer_id, "
            "--issuer-id) or use a key of "
            "https://badges.example.org/issuers/mi-aimh whose id starts "
            "with https://badges.example.org/issuers/mi-aimh#"
        )

    def test_an_https_issuer_with_its_own_key(self, contexts):
        """
        A key controlled by an https issuer signs; verifying needs its
        public key, given as keys.
        """
        issuer = "https://badges.example.org/issuers/mi-aimh"
        own = new_signing_key(controller=issuer, key_id=f"{issuer}#key-1")
        public = {k: v for k, v in own.items() if k != "secretKeyMultibase"}
        signed = sign_credential(credential(issuer), own, contexts=contexts)

        assert (
            signed["credentialSubject"]
            == verify_credential(signed, keys=[public], contexts=contexts)[
                "credentialSubject"
            ]
        )
        with pytest.raises(VerificationError, match=r"among the keys given"):
            verify_credential(signed, contexts=contexts)

    def test_another_key(self, contexts):
        """A proof checked with another key of the same id fails."""
        issuer = "https://badges.example.org/issuers/mi-aimh"
        own = new_signing_key(controller=issuer, key_id=f"{issuer}#key-1")
        impostor = new_signing_key(controller=issuer, key_id=own["id"])
        del impostor["secretKeyMultibase"]
        signed = sign_credential(credential(issuer), own, contexts=contexts)

        with pytest.raises(VerificationError, match="does not match"):
            verify_credential(signed, keys=[impostor], contexts=contexts)

    def test_a_missing_context(self, key, contexts):
        """Without a context's local copy, nothing is fetched."""
        partial = {
            url: document
            for url, document in contexts.items()
            if "imsglobal" not in url
        }

        with pytest.raises(SigningError, match=r"context-3\.0\.3\.json in"):
            sign_credential(
                credential(key["controller"]), key, contexts=partial
            )

    def test_a_public_key_cannot_sign(self, key, contexts):
        """A key without its secret half is refused."""
        public = {k: v for k, v in key.items() if k != "secretKeyMultibase"}

        with pytest.raises(SigningError, match="only its public half"):
            sign_credential(
                credential(key["controller"]), public, contexts=contexts
            )

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"publicKeyMultibase": "z123"}, r"\$\.publicKeyMultibase"),
            ({"secretKeyMultibase": "abc"}, r"\$\.secretKeyMultibase"),
            (
                {
                    "secretKeyMultibase": new_signing_key()[
                        "secretKeyMultibase"
                    ]
                },
                "the secret of another key",
            ),
        ],
    )
    def test_a_malformed_key(self, key, contexts, change, message):
        """A key that is not an Ed25519 Multikey is refused."""
        with pytest.raises(SigningError, match=message):
            sign_credential(
                credential(key["controller"]),
                {**key, **change},
                contexts=contexts,
            )

    def test_no_proof(self, contexts):
        """A credential without a proof does not verify."""
        with pytest.raises(VerificationError, match="has none"):
            verify_credential(credential("did:example:x"), contexts=contexts)

    def test_another_cryptosuite(self, key, contexts):
        """Only eddsa-rdfc-2022 proofs are checked; others are refused."""
        signed = sign_credential(
            credential(key["controller"]), key, contexts=contexts
        )
        signed["proof"][0]["cryptosuite"] = "eddsa-jcs-2022"

        with pytest.raises(VerificationError, match="eddsa-rdfc-2022"):
            verify_credential(signed, contexts=contexts)


def segments(token: str) -> list[Any]:
    """The JOSE header and the payload of a compact JWS."""
    return [
        json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
        for part in token.split(".")[:2]
    ]


class TestJwt:
    """
    sign_credential_jwt makes a VC-JWT with the claims OB 3.0 requires.
    """

    def test_header_and_claims(self, key, ob3):
        """alg, typ and kid; iss, jti, nbf, sub and exp from the credential."""
        unsigned = credential(key["controller"])

        token = sign_credential_jwt(unsigned, key)
        header, payload = segments(token)

        assert {"alg": "EdDSA", "typ": "JWT", "kid": key["id"]} == header
        assert {
            "iss": key["controller"],
            "jti": unsigned["id"],
            "nbf": int(dt.datetime(2025, 4, 1, tzinfo=dt.UTC).timestamp()),
            "sub": HOLDER,
            "exp": int(
                dt.datetime(2027, 1, 31, 23, 59, 59, tzinfo=dt.UTC).timestamp()
            ),
        } == {k: payload.pop(k) for k in ("iss", "jti", "nbf", "sub", "exp")}
        assert unsigned == payload
        assert [] == [e.message for e in ob3.iter_errors(payload)]

    def test_round_trip(self, key):
        """The token verifies and gives back the credential."""
        unsigned = credential(key["controller"])

        assert unsigned == verify_credential(
            sign_credential_jwt(unsigned, key)
        )

    def test_no_exp_without_valid_until(self, key):
        """A credential with no validUntil has no exp claim."""
        unsigned = credential(key["controller"])
        del unsigned["validUntil"]

        _, payload = segments(sign_credential_jwt(unsigned, key))

        assert "exp" not in payload
        assert unsigned == verify_credential(
            sign_credential_jwt(unsigned, key)
        )

    @pytest.mark.parametrize("options", [{"salt": "pepper"}, {}])
    def test_sub_needs_a_subject_id(self, key, options):
        """A holder named only by an identifier cannot be the sub."""
        unsigned = credential(key["controller"], subject_id=None, **options)

        with pytest.raises(SigningError) as caught:
            sign_credential_jwt(unsigned, key)

        assert str(caught.value).startswith(
            "$.credentialSubject.id: expected the holder's id for the VC-JWT "
            "sub claim, which Open Badges 3.0 requires"
        )
        assert "subject_id (--subject-id)" in str(caught.value)

    def test_issuer_must_control_the_key(self, key):
        """The issuer/key rule holds for tokens too."""
        with pytest.raises(SigningError, match="expected the issuer"):
            sign_credential_jwt(credential("https://example.org/i"), key)

    def test_every_field_is_covered(self, key):
        """Changing any value of the payload breaks the signature."""
        token = sign_credential_jwt(credential(key["controller"]), key)
        header, payload = token.split(".")[:2]
        data = json.loads(base64.urlsafe_b64decode(payload + "==="))
        passed = []

        for path in leaves(data):
            body = json.dumps(changed(data, path)).encode()
            forged = ".".join(
                [
                    header,
                    base64.urlsafe_b64encode(body).decode().rstrip("="),
                    token.split(".")[2],
                ]
            )
            try:
                verify_credential(forged)
            except VerificationError:
                continue
            passed.append(path)

        assert [] == passed

    def _token(self, key, header: dict, payload: dict) -> str:
        secret = _decode(key["secretKeyMultibase"], _SECRET_PREFIX, "key")
        jwk = OKPKey.import_key(
            ed25519.Ed25519PrivateKey.from_private_bytes(secret)
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return jwt.encode(header, payload, jwk, algorithms=["EdDSA"])

    def test_claims_must_repeat_the_credential(self, key):
        """A correctly signed token whose claims differ is refused."""
        _, payload = segments(
            sign_credential_jwt(credential(key["controller"]), key)
        )
        payload["sub"] = "did:example:someone-else"
        token = self._token(
            key, {"alg": "EdDSA", "typ": "JWT", "kid": key["id"]}, payload
        )

        with pytest.raises(VerificationError, match="claims to repeat"):
            verify_credential(token)

    def test_typ_must_be_jwt(self, key):
        """A typ OB 3.0 does not allow is refused."""
        _, payload = segments(
            sign_credential_jwt(credential(key["controller"]), key)
        )
        token = self._token(
            key, {"alg": "EdDSA", "typ": "vc+jwt", "kid": key["id"]}, payload
        )

        with pytest.raises(VerificationError, match="expected 'JWT'"):
            verify_credential(token)

    def test_not_a_token(self):
        """A string that is no compact JWS is refused."""
        with pytest.raises(VerificationError, match="compact JWS"):
            verify_credential("not-a-token")


class TestKeys:
    """
    new_signing_key makes Ed25519 Multikeys.
    """

    def test_did_key(self, key):
        """A did:key key's controller and id derive from its public key."""
        secret = _decode(key["secretKeyMultibase"], _SECRET_PREFIX, "key")
        public = ed25519.Ed25519PrivateKey.from_private_bytes(
            secret
        ).public_key()

        assert key["controller"] == "did:key:" + key["publicKeyMultibase"]
        assert key["id"] == key["controller"] + "#" + key["publicKeyMultibase"]
        assert key["publicKeyMultibase"].startswith("z6Mk")
        assert 32 == len(public.public_bytes_raw())

    def test_fresh(self):
        """Each key is new."""
        assert new_signing_key() != new_signing_key()

    def test_controlled(self):
        """A controller and id can be given."""
        made = new_signing_key(
            "https://example.org/i", "https://example.org/i#k"
        )

        assert ("https://example.org/i", "https://example.org/i#k") == (
            made["controller"],
            made["id"],
        )


def iecmh(*argv: str) -> tuple[int, str, str]:
    """Run the command line, returning status, output and errors."""
    from io import StringIO  # noqa: PLC0415

    out, err = StringIO(), StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


class TestCommandLine:
    """
    iecmh export ob3 --sign KEY and iecmh verify FILE.
    """

    @pytest.fixture
    def files(self, tmp_path, shared_dir, key):
        (tmp_path / "portfolio.json").write_text(json.dumps(PORTFOLIO))
        (tmp_path / "key.json").write_text(json.dumps(key))
        public = {k: v for k, v in key.items() if k != "secretKeyMultibase"}
        (tmp_path / "public.json").write_text(json.dumps(public))
        interop = shared_dir / "interop"
        contexts = []
        for url, name in linked_data.CONTEXT_FILES.items():
            contexts += ["--context", f"{url}={interop / name}"]
        return tmp_path, contexts

    def export(self, folder, *extra: str) -> tuple[int, str, str]:
        return iecmh(
            "export",
            "ob3",
            "--portfolio",
            str(folder / "portfolio.json"),
            "--category",
            "IFS",
            "--as-of",
            "2025-06-01",
            "--sign",
            str(folder / "key.json"),
            *extra,
        )

    def test_sign_and_verify(self, files, key, ob3):
        """
        A credential signed by export verifies, passes the official
        schema, and fails verification once changed.
        """
        folder, contexts = files

        status, out, err = self.export(folder, *contexts)
        (folder / "signed.json").write_text(out)
        verified = iecmh("verify", str(folder / "signed.json"), *contexts)
        signed = json.loads(out)
        (folder / "changed.json").write_text(
            json.dumps(changed(signed, ("credentialSubject", "id")))
            if "id" in signed["credentialSubject"]
            else json.dumps(changed(signed, ("name",)))
        )
        tampered = iecmh("verify", str(folder / "changed.json"), *contexts)

        assert (0, "") == (status, err)
        assert key["controller"] == signed["issuer"]["id"]
        assert [] == [e.message for e in ob3.iter_errors(signed)]
        assert (
            0,
            (
                f"{folder / 'signed.json'}: verified Data Integrity proof of "
                f"{signed['id']} issued by {key['controller']}\n"
            ),
            "",
        ) == verified
        assert (1, "") == tampered[:2]
        assert tampered[2].startswith(
            f"{folder / 'changed.json'}: not verified: the proof by "
        )

    def test_jwt(self, files):
        """--proof jwt prints a VC-JWT that iecmh verify accepts."""
        folder, _ = files

        status, out, err = self.export(
            folder, "--proof", "jwt", "--subject-id", HOLDER
        )
        (folder / "badge.jwt").write_text(out)
        verified = iecmh("verify", str(folder / "badge.jwt"))

        assert (0, "") == (status, err)
        assert 3 == len(out.strip().split("."))
        assert 0 == verified[0]
        assert "verified VC-JWT of urn:uuid:" in verified[1]

    def test_jwt_without_subject_id(self, files):
        """A VC-JWT for a holder without an id is refused, exit 2."""
        folder, _ = files

        status, out, err = self.export(folder, "--proof", "jwt")

        assert (2, "") == (status, out)
        assert err.startswith("iecmh: $.credentialSubject.id: expected")

    def test_issuer_mismatch(self, files):
        """An --issuer-id the key does not belong to is refused, exit 2."""
        folder, contexts = files

        status, out, err = self.export(
            folder, "--issuer-id", "https://example.org/i", *contexts
        )

        assert (2, "") == (status, out)
        assert err.startswith("iecmh: expected the issuer to control")

    def test_missing_context(self, files):
        """Without --context, signing says which context it needs."""
        folder, _ = files

        status, out, err = self.export(folder)

        assert (2, "") == (status, out)
        assert "--context URL=FILE" in err

    def test_sign_is_for_ob3(self, files):
        """--sign with another standard is a usage error."""
        folder, _ = files

        assert (2, "", "iecmh export: --sign is for ob3 only\n") == iecmh(
            "export", "case", "--sign", str(folder / "key.json")
        )

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (None, "No such file"),
            ("{not json", "expected a JSON credential or a VC-JWT"),
        ],
    )
    def test_unreadable(self, files, content, message):
        """A missing or malformed file is bad input, exit 2."""
        folder, _ = files
        if content is not None:
            (folder / "bad.json").write_text(content)

        status, out, err = iecmh("verify", str(folder / "bad.json"))

        assert (2, "") == (status, out)
        assert message in err

    def test_unreadable_key(self, files):
        """A --key file that cannot be read is bad input, exit 2."""
        folder, options = files
        _, out, _ = self.export(folder, *options)
        (folder / "signed.json").write_text(out)

        status, printed, err = iecmh(
            "verify",
            str(folder / "signed.json"),
            "--key",
            str(folder / "missing.json"),
        )

        assert (2, "") == (status, printed)
        assert err.startswith(
            f"iecmh verify: {folder / 'signed.json'}: "
            f"{folder / 'missing.json'}: expected a readable JSON key: "
        )

    def test_bad_context_option(self, files):
        """--context without URL=FILE is bad input."""
        folder, _ = files

        status, _, err = self.export(folder, "--context", "nofile")

        assert 2 == status
        assert "--context: expected URL=FILE; got 'nofile'" in err

    def test_verify_with_a_key_file(self, files):
        """--key gives the public key of a method that is no did:key."""
        folder, contexts = files
        issuer = "https://badges.example.org/issuers/mi-aimh"
        own = new_signing_key(controller=issuer, key_id=f"{issuer}#key-1")
        (folder / "key.json").write_text(json.dumps(own))
        public = {k: v for k, v in own.items() if k != "secretKeyMultibase"}
        (folder / "public.json").write_text(json.dumps(public))
        _, out, _ = self.export(folder, *contexts)
        (folder / "signed.json").write_text(out)

        without = iecmh("verify", str(folder / "signed.json"), *contexts)
        with_key = iecmh(
            "verify",
            str(folder / "signed.json"),
            "--key",
            str(folder / "public.json"),
            *contexts,
        )

        assert 1 == without[0]
        assert "among the keys given" in without[2]
        assert 0 == with_key[0]


def test_hashes_are_sha256(vectors):
    """The signed data is the two SHA-256 hashes, proof options first."""
    signed = json.loads((vectors / "signedDataInt.json").read_text())
    pair = json.loads((vectors / "keyPair.json").read_text())
    public = _decode(pair["publicKeyMultibase"], b"\xed\x01", "key")
    proof = dict(signed["proof"])
    value = proof.pop("proofValue")
    import base58  # noqa: PLC0415

    data = (
        hashlib.sha256(
            (vectors / "proofCanonDataInt.txt").read_bytes()
        ).digest()
        + hashlib.sha256(
            (vectors / "canonDocDataInt.txt").read_bytes()
        ).digest()
    )

    ed25519.Ed25519PublicKey.from_public_bytes(public).verify(
        base58.b58decode(value[1:]), data
    )


class TestMalformed:
    """
    Malformed keys, credentials and proofs are refused, saying where.
    """

    @pytest.mark.parametrize(
        ("make", "message"),
        [
            (lambda _: "a key", "expected a Multikey"),
            (
                lambda k: {**k, "controller": 5},
                r"\$\.controller: expected a URI",
            ),
            (
                lambda k: {**k, "publicKeyMultibase": "z0OIl"},
                r"\$\.publicKeyMultibase",
            ),
        ],
    )
    def test_keys(self, key, contexts, make, message):
        with pytest.raises(SigningError, match=message):
            sign_credential(
                credential(key["controller"]), make(key), contexts=contexts
            )

    def test_no_issuer(self, key, contexts):
        unsigned = credential(key["controller"])
        del unsigned["issuer"]

        with pytest.raises(SigningError, match=r"\$\.issuer: expected"):
            sign_credential(unsigned, key, contexts=contexts)

    def test_contexts_as_text(self, key, contexts):
        """A context may be given as its JSON text."""
        texts = {url: json.dumps(doc) for url, doc in contexts.items()}
        signed = sign_credential(
            credential(key["controller"]), key, contexts=texts
        )

        verify_credential(signed, contexts=contexts)

    def test_not_json_ld(self, key, contexts):
        unsigned = credential(key["controller"])
        unsigned["@context"] = [*unsigned["@context"], 5]

        with pytest.raises(SigningError, match="not valid JSON-LD"):
            sign_credential(unsigned, key, contexts=contexts)

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"validFrom": None}, r"\$\.validFrom: expected a date-time"),
            ({"validFrom": "2025-04-01T00:00:00"}, "with a time zone"),
            ({"id": None}, r"\$\.id: expected the credential's id"),
        ],
    )
    def test_jwt_fields(self, key, change, message):
        unsigned = {**credential(key["controller"]), **change}

        with pytest.raises(SigningError, match=message):
            sign_credential_jwt(unsigned, key)

    @pytest.fixture
    def signed(self, key, contexts):
        return sign_credential(
            credential(key["controller"]), key, contexts=contexts
        )

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("verificationMethod", 5, "expected a verification method id"),
            ("verificationMethod", "did:key:zBAD#zBAD", "did:key:zBAD"),
            ("proofValue", "abc", "does not match"),
            ("proofValue", "z0OIl", "does not match"),
        ],
    )
    def test_proofs(self, signed, contexts, field, value, message):
        signed["proof"][0][field] = value

        with pytest.raises(VerificationError, match=message):
            verify_credential(signed, contexts=contexts)

    def test_did_key_fragment(self, signed, contexts, key):
        signed["proof"][0]["verificationMethod"] = key["controller"] + "#k-1"

        with pytest.raises(VerificationError, match="repeat it"):
            verify_credential(signed, contexts=contexts)

    def test_proof_not_an_object(self, signed, contexts):
        signed["proof"] = ["a proof"]

        with pytest.raises(VerificationError, match="expected a proof object"):
            verify_credential(signed, contexts=contexts)

    def test_a_single_proof_object(self, signed, contexts):
        """A proof given as one object, not an array, is read too."""
        signed["proof"] = signed["proof"][0]

        verify_credential(signed, contexts=contexts)

    def test_missing_context_on_verify(self, signed):
        with pytest.raises(VerificationError, match="never fetched"):
            verify_credential(signed, contexts={})

    def test_keys_given(self, contexts):
        """The right key is found among others; a malformed one is refused."""
        issuer = "https://badges.example.org/issuers/mi-aimh"
        own = new_signing_key(controller=issuer, key_id=f"{issuer}#key-1")
        other = new_signing_key(controller=issuer, key_id=f"{issuer}#key-2")
        signed = sign_credential(credential(issuer), own, contexts=contexts)

        verify_credential(signed, keys=[other, own], contexts=contexts)
        with pytest.raises(VerificationError, match="publicKeyMultibase"):
            verify_credential(signed, keys=[{"id": "x"}], contexts=contexts)

    def test_jwt_issuer_must_control_the_kid(self, key):
        other = new_signing_key()
        _, payload = segments(
            sign_credential_jwt(credential(other["controller"]), other)
        )
        token = TestJwt()._token(
            key, {"alg": "EdDSA", "typ": "JWT", "kid": key["id"]}, payload
        )

        with pytest.raises(VerificationError, match="expected the issuer"):
            verify_credential(token)
