"""Registry errors as Confluent's REST API reports them: an HTTP status, an error code, a message.

The embedded registry raises these and the REST app turns them into `{"error_code", "message"}`
bodies; the HTTP client raises them from a remote registry's answers. Codes and wording follow
Confluent's so that Confluent's own clients (and their users' scripts) behave the same.
"""

from __future__ import annotations


class RegistryError(Exception):
    """A registry refused a request (4xx/5xx with an error code)."""

    def __init__(self, status: int, error_code: int, message: str) -> None:
        super().__init__(f"{message} (HTTP {status}, error {error_code})")
        self.status = status
        self.error_code = error_code
        self.message = message


class RegistryUnreachable(Exception):  # noqa: N818 - the name says what happened, like Python's own
    """The registry could not be reached (connection refused, DNS, TLS, timeout).

    The CLI maps it to exit code 3 (infrastructure). The message never contains credentials.
    """


class NotARegistry(RegistryUnreachable):
    """The server answered, but not as a Schema Registry does (an HTML page, a proxy's error).

    Exit code 3 like an unreachable registry: the URL, or what is behind it, needs fixing.
    """


class UnexpectedAnswer(RegistryUnreachable):
    """A registry answered a success status with a body of the wrong shape (`{}` for a level,
    `null`, an unknown level): a registry error (exit 3) naming the route and what was expected,
    never a traceback or a guess."""


class RouteMissing(RegistryError):  # noqa: N818 - reads as what happened
    """The registry does not serve this route (Karapace: 404 with the bare JSON string
    `"Not Found"`): callers that know a fallback use it, the others report it."""


def excerpt(body: str, limit: int = 120) -> str:
    """At most `limit` characters of `body`, on one line (whitespace runs collapsed)."""
    one_line = " ".join(body.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


class RegistryAuthError(RegistryError):
    """401/403: the credentials are missing, wrong, or lack the permission for the request."""


def subject_not_found(subject: str) -> RegistryError:
    return RegistryError(404, 40401, f"Subject '{subject}' not found.")


def version_not_found(version: int | str) -> RegistryError:
    return RegistryError(404, 40402, f"Version {version} not found.")


def schema_not_found(schema_id: int | None = None) -> RegistryError:
    if schema_id is None:
        return RegistryError(404, 40403, "Schema not found")
    return RegistryError(404, 40403, f"Schema {schema_id} not found")


def subject_soft_deleted(subject: str) -> RegistryError:
    return RegistryError(
        404, 40404, f"Subject '{subject}' was soft deleted.Set permanent=true to delete permanently"
    )


def subject_not_soft_deleted(subject: str) -> RegistryError:
    return RegistryError(
        404, 40405, f"Subject '{subject}' was not deleted first before being permanently deleted"
    )


def version_soft_deleted(subject: str, version: int) -> RegistryError:
    return RegistryError(
        404,
        40406,
        f"Subject '{subject}' Version {version} was soft deleted.Set permanent=true to delete "
        "permanently",
    )


def version_not_soft_deleted(subject: str, version: int) -> RegistryError:
    return RegistryError(
        404,
        40407,
        f"Subject '{subject}' Version {version} was not deleted first before being permanently "
        "deleted",
    )


def compatibility_not_configured(subject: str) -> RegistryError:
    return RegistryError(
        404, 40408, f"Subject '{subject}' does not have subject-level compatibility configured"
    )


def mode_not_configured(subject: str) -> RegistryError:
    return RegistryError(
        404, 40409, f"Subject '{subject}' does not have subject-level mode configured"
    )


def invalid_schema(detail: str) -> RegistryError:
    return RegistryError(422, 42201, f"Invalid schema: {detail}")


def invalid_version(version: str) -> RegistryError:
    return RegistryError(
        422,
        42202,
        f"The specified version '{version}' is not a valid version id. Allowed values are between "
        '[1, 2^31-1] and the string "latest"',
    )


def invalid_compatibility_level(level: str) -> RegistryError:
    return RegistryError(
        422,
        42203,
        f"Invalid compatibility level {level}. Valid values are none, backward, forward, full, "
        "backward_transitive, forward_transitive, and full_transitive",
    )


def invalid_mode(mode: str) -> RegistryError:
    return RegistryError(
        422, 42204, f"Invalid mode {mode}. Valid values are READWRITE, READONLY and IMPORT"
    )


def operation_not_permitted(message: str) -> RegistryError:
    """42205; Confluent's texts: `Subject s is in read-only mode`, `... is not in import mode`."""
    return RegistryError(422, 42205, message)


def id_does_not_match(existing: int, given: int) -> RegistryError:
    return RegistryError(
        422, 42207, f"Schema already registered with id {existing} instead of input id {given}"
    )


def referenced_schema(subject: str, version: int) -> RegistryError:
    return RegistryError(
        422,
        42206,
        f"One or more references exist to the schema {{subject={subject},version={version}}}.",
    )


def incompatible(subject: str, messages: list[str]) -> RegistryError:
    details = ", ".join(messages)
    return RegistryError(
        409,
        40901,
        f'Schema being registered is incompatible with an earlier schema for subject "{subject}", '
        f"details: [{details}]",
    )


def store_error(detail: str) -> RegistryError:
    return RegistryError(500, 50001, f"Error in the backend datastore: {detail}")
