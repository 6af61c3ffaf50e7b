"""
Signing and verifying credentials: Data Integrity proofs and VC-JWTs.

Two forms, both with an Ed25519 key given as a ``Multikey``:

- an embedded Data Integrity proof with the ``eddsa-rdfc-2022`` cryptosuite
  (W3C), over the RDF-canonical form of the credential (RDFC-1.0, computed
  by PyLD from JSON-LD contexts the caller supplies; nothing is fetched);
- an enveloping VC-JWT (compact JWS, ``EdDSA``, ``typ`` ``JWT``) whose
  payload is the credential with the claims Open Badges 3.0 requires:
  ``iss``, ``jti``, ``nbf``, ``sub`` and, with ``validUntil``, ``exp``.

The issuer must control the verification method: the key's ``controller``
is the credential's ``issuer.id``. A ``did:key`` method carries its public
key in its id; any other is looked up among the keys the verifier is given.

The libraries are the ``sign`` extra (``pip install 'iecmh-core[sign]'``):
PyLD, cryptography, joserfc and base58.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import warnings
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from iecmh_core.exceptions import SigningError, VerificationError

#: The multicodec prefixes of an Ed25519 public and secret key.
_PUBLIC_PREFIX = b"\xed\x01"
_SECRET_PREFIX = b"\x80\x26"
_CRYPTOSUITE = "eddsa-rdfc-2022"
#: The JOSE algorithm: "EdDSA" is what deployed verifiers recognise;
#: RFC 9864 deprecates it for "Ed25519", which verify() accepts too.
_JWT_ALGORITHM = "EdDSA"
_JWT_ALGORITHMS = ("EdDSA", "Ed25519")
_CLAIMS = ("iss", "jti", "nbf", "sub", "exp")
_EXTRA = "pip install 'iecmh-core[sign]'"


def _libraries() -> Any:
    try:
        import base58  # noqa: PLC0415
        from cryptography.hazmat.primitives.asymmetric import (  # noqa: PLC0415
            ed25519,
        )
        from joserfc import jwt  # noqa: PLC0415
        from joserfc.jwk import OKPKey  # noqa: PLC0415
        from pyld import jsonld  # noqa: PLC0415
    except ImportError as missing:  # pragma: no cover - the extra is there
        msg = (
            "signing needs the sign extra (PyLD, cryptography, joserfc, "
            f"base58): {_EXTRA}; missing: {missing.name}"
        )
        raise SigningError(msg) from missing
    return base58, ed25519, jwt, OKPKey, jsonld


@attrs.frozen
class _Key:
    id: str
    controller: str
    public: bytes
    secret: bytes | None


def _multibase(prefix: bytes, raw: bytes) -> str:
    base58 = _libraries()[0]
    encoded: bytes = base58.b58encode(prefix + raw)
    return "z" + encoded.decode("ascii")


def _decode(value: Any, prefix: bytes, where: str) -> bytes:
    base58 = _libraries()[0]
    expected = (
        f"a base58-btc multibase string (starting with z) of an Ed25519 "
        f"key with the multicodec prefix 0x{prefix.hex()}"
    )
    if not isinstance(value, str) or not value.startswith("z"):
        msg = f"{where}: expected {expected}; got {value!r}"
        raise SigningError(msg)
    try:
        raw: bytes = base58.b58decode(value[1:])
    except ValueError:
        raw = b""
    if not raw.startswith(prefix) or len(raw) != len(prefix) + 32:
        msg = f"{where}: expected {expected}; got {value!r}"
        raise SigningError(msg)
    return raw[len(prefix) :]


def _did_key(public: bytes) -> str:
    return "did:key:" + _multibase(_PUBLIC_PREFIX, public)


def _read_key(data: Mapping[str, Any], *, secret: bool) -> _Key:
    _, ed25519, *_ = _libraries()
    if not isinstance(data, Mapping):
        msg = (
            "key: expected a Multikey (a JSON object with "
            f"publicKeyMultibase); got {type(data).__name__}"
        )
        raise SigningError(msg)
    public = _decode(
        data.get("publicKeyMultibase"),
        _PUBLIC_PREFIX,
        "key: $.publicKeyMultibase",
    )
    private = None
    name = next(
        (
            n
            for n in ("secretKeyMultibase", "privateKeyMultibase")
            if n in data
        ),
        None,
    )
    if name is not None:
        private = _decode(data[name], _SECRET_PREFIX, f"key: $.{name}")
        derived = (
            ed25519.Ed25519PrivateKey.from_private_bytes(private)
            .public_key()
            .public_bytes_raw()
        )
        if derived != public:
            msg = (
                f"key: $.{name}: expected the secret key of "
                f"publicKeyMultibase {data['publicKeyMultibase']}; it is "
                "the secret of another key"
            )
            raise SigningError(msg)
    elif secret:
        msg = (
            "key: expected a secret key to sign with (secretKeyMultibase); "
            "the key has only its public half"
        )
        raise SigningError(msg)
    did = _did_key(public)
    controller = data.get("controller") or did
    key_id = data.get("id") or f"{controller}#{did.removeprefix('did:key:')}"
    for field, value in (("controller", controller), ("id", key_id)):
        if not isinstance(value, str):
            msg = f"key: $.{field}: expected a URI; got {value!r}"
            raise SigningError(msg)
    return _Key(key_id, controller, public, private)


def key_controller(key: Mapping[str, Any]) -> str:
    """
    Return who controls *key*: its ``controller``, or its ``did:key``.
    """
    return _read_key(key, secret=False).controller


def new_signing_key(
    controller: str | None = None, key_id: str | None = None
) -> dict[str, str]:
    """
    Make a new Ed25519 key pair, as a ``Multikey`` with its secret key.

    Keep the result secret, and publish it without ``secretKeyMultibase``
    (as a verification method of the controller's DID or controller
    document) unless it is a ``did:key``, whose id is its public key.

    Args:
        controller: Who controls the key: the issuer's id. A ``did:key``
            derived from the public key when ``None``.
        key_id: The verification method's id; the controller, ``#`` and
            the public key when ``None``.

    Returns:
        The key as JSON-ready data: ``id``, ``type`` (``Multikey``),
        ``controller``, ``publicKeyMultibase`` and ``secretKeyMultibase``.

    Raises:
        SigningError: The ``sign`` extra is not installed.

    >>> key = new_signing_key()
    >>> key["type"], key["id"] == key["controller"] + "#" + key[
    ...     "publicKeyMultibase"]
    ('Multikey', True)

    .. versionadded:: 0.2.0
    """
    _, ed25519, *_ = _libraries()
    private = ed25519.Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes_raw()
    did = _did_key(public)
    owner = controller or did
    return {
        "id": key_id or f"{owner}#{did.removeprefix('did:key:')}",
        "type": "Multikey",
        "controller": owner,
        "publicKeyMultibase": _multibase(_PUBLIC_PREFIX, public),
        "secretKeyMultibase": _multibase(
            _SECRET_PREFIX, private.private_bytes_raw()
        ),
    }


def _issuer(credential: Mapping[str, Any]) -> str:
    issuer = credential.get("issuer")
    found = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    if not isinstance(found, str):
        msg = f"$.issuer: expected the issuer's id (a URI); got {issuer!r}"
        raise SigningError(msg)
    return found


def _controls(key: _Key, issuer: str, error: type[SigningError]) -> None:
    owner = key.id.partition("#")[0]
    if key.controller != issuer or owner != issuer:
        msg = (
            "expected the issuer to control the verification method: "
            f"issuer.id is {issuer}, the method {key.id} is controlled by "
            f"{key.controller}; give the credential the issuer id "
            f"{key.controller} (issuer_id, --issuer-id) or use a key of "
            f"{issuer} whose id starts with {issuer}#"
        )
        raise error(msg)


def _loader(contexts: Mapping[str, Any] | None) -> Any:
    known = dict(contexts or {})

    def load(url: str, options: Any = None) -> dict[str, Any]:  # noqa: ARG001
        if url not in known:
            msg = (
                f"expected a local copy of the JSON-LD context {url} in "
                "contexts (--context URL=FILE); contexts are never "
                f"fetched; given: {', '.join(sorted(known)) or 'none'}"
            )
            raise SigningError(msg)
        document = known[url]
        if isinstance(document, str | bytes):
            document = json.loads(document)
        return {"contextUrl": None, "documentUrl": url, "document": document}

    return load


def _canonical(document: Mapping[str, Any], contexts: Any) -> bytes:
    jsonld = _libraries()[4]
    try:
        text: str = jsonld.normalize(
            copy.deepcopy(dict(document)),
            {
                "algorithm": "URDNA2015",
                "format": "application/n-quads",
                "documentLoader": _loader(contexts),
            },
        )
    except jsonld.JsonLdError as error:
        cause: BaseException | None = error
        while cause is not None:
            if isinstance(cause, SigningError):
                raise cause from error
            cause = cause.__cause__ or getattr(cause, "cause", None)
        msg = f"the credential is not valid JSON-LD: {error}"
        raise SigningError(msg) from error
    return text.encode("utf-8")


def _hash_data(
    document: Mapping[str, Any],
    options: Mapping[str, Any],
    contexts: Any,
) -> bytes:
    return (
        hashlib.sha256(_canonical(options, contexts)).digest()
        + hashlib.sha256(_canonical(document, contexts)).digest()
    )


def _stamp(moment: dt.datetime) -> str:
    return (
        moment.astimezone(dt.UTC)
        .replace(microsecond=0)
        .isoformat()
        .replace("+00:00", "Z")
    )


def proof_value(
    credential: Mapping[str, Any],
    options: Mapping[str, Any],
    secret: bytes,
    contexts: Mapping[str, Any] | None,
) -> str:
    """
    Compute an ``eddsa-rdfc-2022`` proofValue: the cryptosuite alone.

    *options* are the proof's, without ``proofValue``; they are
    canonicalized with the credential's ``@context``, the credential
    without its ``proof``, and the Ed25519 signature of the two SHA-256
    hashes (options first) is encoded in base58-btc multibase.
    """
    _, ed25519, *_ = _libraries()
    unsecured = {k: v for k, v in credential.items() if k != "proof"}
    data = _hash_data(
        unsecured, {**options, "@context": credential["@context"]}, contexts
    )
    signature = ed25519.Ed25519PrivateKey.from_private_bytes(secret).sign(data)
    encoded: bytes = _libraries()[0].b58encode(signature)
    return "z" + encoded.decode("ascii")


def sign_credential(
    credential: Mapping[str, Any],
    key: Mapping[str, Any],
    *,
    contexts: Mapping[str, Any] | None = None,
    created: dt.datetime | None = None,
) -> dict[str, Any]:
    """
    Sign a credential with an embedded ``eddsa-rdfc-2022`` proof.

    The proof (a ``DataIntegrityProof`` for ``assertionMethod``) is added
    to the credential's ``proof`` array, after any proof it already has.

    Args:
        credential: The credential, complete: nothing may change after.
        key: The issuer's ``Multikey`` with its secret key, as
            `new_signing_key` makes it; a ``privateKeyMultibase`` (the
            name in W3C's test vectors) is read as the secret key too.
        contexts: Every JSON-LD context the credential names, by URL (the
            parsed JSON, or its text); nothing is fetched.
        created: When the proof is created; now when ``None``.

    Returns:
        A new credential holding the proof; *credential* is not changed.

    Raises:
        SigningError: The key is malformed or has no secret, the issuer
            does not control it, a context is missing, or the extra is
            not installed.

    A document whose context is inline needs no *contexts*:

    >>> key = new_signing_key()
    >>> note = {"@context": {"@vocab": "https://example.org/terms#"},
    ...         "issuer": key["controller"], "text": "Signed."}
    >>> signed = sign_credential(note, key, created=datetime.datetime(
    ...     2025, 6, 1, tzinfo=datetime.UTC))
    >>> signed["proof"][0]["cryptosuite"], signed["proof"][0]["created"]
    ('eddsa-rdfc-2022', '2025-06-01T00:00:00Z')
    >>> verify_credential(signed) == note
    True

    .. versionadded:: 0.2.0
    """
    signer = _read_key(key, secret=True)
    _controls(signer, _issuer(credential), SigningError)
    assert signer.secret is not None  # noqa: S101 - _read_key(secret=True)
    options: dict[str, Any] = {
        "type": "DataIntegrityProof",
        "cryptosuite": _CRYPTOSUITE,
        "created": _stamp(created or dt.datetime.now(dt.UTC)),
        "verificationMethod": signer.id,
        "proofPurpose": "assertionMethod",
    }
    proof = {
        **options,
        "proofValue": proof_value(
            credential, options, signer.secret, contexts
        ),
    }
    proofs = credential.get("proof", [])
    proofs = list(proofs) if isinstance(proofs, list) else [proofs]
    return {**copy.deepcopy(dict(credential)), "proof": [*proofs, proof]}


def _seconds(value: Any, where: str) -> int:
    try:
        moment = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        moment = None
    if moment is None or moment.tzinfo is None:
        msg = f"{where}: expected a date-time with a time zone; got {value!r}"
        raise SigningError(msg)
    return int(moment.timestamp())


def _claims(credential: Mapping[str, Any]) -> dict[str, Any]:
    subject = credential.get("credentialSubject")
    subject_id = subject.get("id") if isinstance(subject, Mapping) else None
    if not isinstance(subject_id, str):
        msg = (
            "$.credentialSubject.id: expected the holder's id for the "
            "VC-JWT sub claim, which Open Badges 3.0 requires; the "
            "credential names the holder by an identifier (hash) only: "
            "export it with subject_id (--subject-id), or sign it with a "
            "Data Integrity proof, which needs no subject id"
        )
        raise SigningError(msg)
    claims = {
        "iss": _issuer(credential),
        "jti": credential.get("id"),
        "nbf": _seconds(credential.get("validFrom"), "$.validFrom"),
        "sub": subject_id,
    }
    if not isinstance(claims["jti"], str):
        msg = f"$.id: expected the credential's id; got {claims['jti']!r}"
        raise SigningError(msg)
    if "validUntil" in credential:
        claims["exp"] = _seconds(credential["validUntil"], "$.validUntil")
    return claims


def sign_credential_jwt(
    credential: Mapping[str, Any], key: Mapping[str, Any]
) -> str:
    """
    Sign a credential as a VC-JWT, the Open Badges 3.0 way.

    The JOSE header has ``alg`` ``EdDSA``, ``typ`` ``JWT`` and the key's id
    as ``kid``; the payload is the credential with the claims Open Badges
    3.0 requires: ``iss`` (``issuer.id``), ``jti`` (``id``), ``nbf``
    (``validFrom``), ``sub`` (``credentialSubject.id``) and, when the
    credential has a ``validUntil``, ``exp``, in seconds since 1970.

    Args:
        credential: The credential, complete, with a
            ``credentialSubject.id``.
        key: The issuer's ``Multikey`` with its secret key.

    Returns:
        The compact JWS (``header.payload.signature``).

    Raises:
        SigningError: The credential has no ``credentialSubject.id`` or
            no valid dates, the key is malformed or has no secret, or the
            issuer does not control it.

    >>> key = new_signing_key()
    >>> token = sign_credential_jwt({
    ...     "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    ...     "issuer": {"id": key["controller"]},
    ...     "validFrom": "2025-04-01T00:00:00Z",
    ...     "credentialSubject": {"id": "did:example:holder"}}, key)
    >>> verify_credential(token)["credentialSubject"]
    {'id': 'did:example:holder'}

    .. versionadded:: 0.2.0
    """
    _, ed25519, jwt, okp_key, _ = _libraries()
    signer = _read_key(key, secret=True)
    _controls(signer, _issuer(credential), SigningError)
    payload = {**copy.deepcopy(dict(credential)), **_claims(credential)}
    header = {"alg": _JWT_ALGORITHM, "typ": "JWT", "kid": signer.id}
    assert signer.secret is not None  # noqa: S101 - _read_key(secret=True)
    secret = okp_key.import_key(
        ed25519.Ed25519PrivateKey.from_private_bytes(signer.secret)
    )
    with warnings.catch_warnings():
        # joserfc warns that RFC 9864 deprecates EdDSA; see _JWT_ALGORITHM.
        warnings.simplefilter("ignore")
        token: str = jwt.encode(
            header, payload, secret, algorithms=[_JWT_ALGORITHM]
        )
    return token


def _resolve(method: Any, keys: Iterable[Mapping[str, Any]]) -> _Key:
    if not isinstance(method, str):
        msg = f"expected a verification method id; got {method!r}"
        raise VerificationError(msg)
    did, _, fragment = method.partition("#")
    if did.startswith("did:key:"):
        try:
            public = _decode(
                did.removeprefix("did:key:"), _PUBLIC_PREFIX, method
            )
        except SigningError as error:
            raise VerificationError(str(error)) from error
        if fragment and fragment != did.removeprefix("did:key:"):
            msg = f"{method}: expected the fragment of a did:key to repeat it"
            raise VerificationError(msg)
        return _Key(method, did, public, None)
    given = []
    for data in keys:
        try:
            found = _read_key(data, secret=False)
        except SigningError as error:
            raise VerificationError(str(error)) from error
        if found.id == method:
            return found
        given.append(found.id)
    msg = (
        f"expected the public key of the verification method {method} "
        "among the keys given (keys, --key FILE); given: "
        + (", ".join(given) or "none")
    )
    raise VerificationError(msg)


def _verify_proof(
    credential: Mapping[str, Any],
    proof: Any,
    keys: Iterable[Mapping[str, Any]],
    contexts: Mapping[str, Any] | None,
) -> None:
    _, ed25519, *_ = _libraries()
    if not isinstance(proof, Mapping):
        msg = f"$.proof: expected a proof object; got {proof!r}"
        raise VerificationError(msg)
    wanted = {
        "type": "DataIntegrityProof",
        "cryptosuite": _CRYPTOSUITE,
        "proofPurpose": "assertionMethod",
    }
    for field, expected in wanted.items():
        if proof.get(field) != expected:
            msg = (
                f"$.proof.{field}: expected {expected!r}; got "
                f"{proof.get(field)!r}"
            )
            raise VerificationError(msg)
    signer = _resolve(proof.get("verificationMethod"), keys)
    try:
        _controls(signer, _issuer(credential), VerificationError)
    except SigningError as error:
        raise VerificationError(str(error)) from error
    value = proof.get("proofValue")
    base58 = _libraries()[0]
    signature: bytes = b""
    if isinstance(value, str) and value.startswith("z"):
        try:
            signature = base58.b58decode(value[1:])
        except ValueError:
            signature = b""
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    options["@context"] = credential["@context"]
    unsecured = {k: v for k, v in credential.items() if k != "proof"}
    try:
        data = _hash_data(unsecured, options, contexts)
    except SigningError as error:
        raise VerificationError(str(error)) from error
    try:
        ed25519.Ed25519PublicKey.from_public_bytes(signer.public).verify(
            signature, data
        )
    except Exception as error:
        msg = (
            f"the proof by {signer.id} does not match the credential: it "
            "was changed after signing, or signed with another key"
        )
        raise VerificationError(msg) from error


def _verify_jwt(
    token: str, keys: Iterable[Mapping[str, Any]]
) -> dict[str, Any]:
    _, ed25519, jwt, okp_key, _ = _libraries()
    from joserfc import errors, jws  # noqa: PLC0415

    try:
        header = jws.extract_compact(token.strip().encode()).protected
    except (errors.JoseError, ValueError) as error:
        msg = f"expected a compact JWS (header.payload.signature): {error}"
        raise VerificationError(msg) from error
    if header.get("typ", "JWT") != "JWT":
        msg = f"JOSE header typ: expected 'JWT'; got {header['typ']!r}"
        raise VerificationError(msg)
    signer = _resolve(header.get("kid"), keys)
    public = okp_key.import_key(
        ed25519.Ed25519PublicKey.from_public_bytes(signer.public)
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            decoded = jwt.decode(
                token.strip(), public, algorithms=list(_JWT_ALGORITHMS)
            )
    except (errors.JoseError, ValueError) as error:
        msg = (
            f"the VC-JWT signed by {signer.id} does not verify: it was "
            f"changed after signing, or signed with another key ({error})"
        )
        raise VerificationError(msg) from error
    payload = dict(decoded.claims)
    credential = {k: v for k, v in payload.items() if k not in _CLAIMS}
    try:
        _controls(signer, _issuer(credential), VerificationError)
        expected = _claims(credential)
    except SigningError as error:
        raise VerificationError(str(error)) from error
    found = {k: payload[k] for k in _CLAIMS if k in payload}
    if expected != found:
        msg = (
            "expected the JWT claims to repeat the credential: "
            f"{json.dumps(expected, sort_keys=True)}; got "
            f"{json.dumps(found, sort_keys=True)}"
        )
        raise VerificationError(msg)
    return credential


def verify_credential(
    signed: Mapping[str, Any] | str,
    *,
    keys: Iterable[Mapping[str, Any]] = (),
    contexts: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """
    Verify a signed credential and return the credential it vouches for.

    A mapping is checked as a credential with embedded ``eddsa-rdfc-2022``
    proofs (every proof must verify); a string as a VC-JWT. Either way the
    issuer must control the verification method. The dates are not
    compared with today: a verified credential may have expired.

    Args:
        signed: The signed credential, or the VC-JWT.
        keys: Public ``Multikey`` documents of verification methods that
            are not ``did:key``; a ``did:key`` needs none.
        contexts: The JSON-LD contexts, by URL, for a Data Integrity proof.

    Returns:
        The credential without its proofs, or the JWT's credential without
        its JWT claims.

    Raises:
        VerificationError: A proof or signature does not verify, its key
            is unknown, the issuer does not control it, or a JWT claim
            does not repeat the credential.

    >>> key = new_signing_key()
    >>> signed = sign_credential(
    ...     {"@context": {"@vocab": "https://example.org/terms#"},
    ...      "issuer": key["controller"], "text": "Signed."}, key)
    >>> signed["text"] = "Changed."
    >>> verify_credential(signed)
    Traceback (most recent call last):
        ...
    iecmh_core.exceptions.VerificationError: the proof by did:key:... does not match the credential: it was changed after signing, or signed with another key

    .. versionadded:: 0.2.0
    """  # noqa: E501
    if isinstance(signed, str):
        return _verify_jwt(signed, list(keys))
    keys = list(keys)
    proofs = signed.get("proof")
    if not proofs:
        msg = "$.proof: expected a proof or a VC-JWT; the credential has none"
        raise VerificationError(msg)
    for proof in proofs if isinstance(proofs, list) else [proofs]:
        _verify_proof(signed, proof, keys, contexts)
    return {k: v for k, v in signed.items() if k != "proof"}
