"""Schemathesis hooks of the API fuzz run (test-e2e/api-fuzz.e2e-spec.ts, `npm run fuzz`).

Loaded through SCHEMATHESIS_HOOKS. Adds the check Schemathesis has no built-in for: the
platform answers every error as RFC 9457 problem details (docs/api-conventions.md).
"""

import json

import schemathesis

PROBLEM_JSON = "application/problem+json"


@schemathesis.check
def problem_json_errors(ctx, response, case):
    """Every 4xx is application/problem+json whose `status` is the response's status."""
    if not 400 <= response.status_code < 500:
        return None
    content_type = (response.headers.get("content-type") or [""])[0]
    media_type = content_type.split(";")[0].strip().lower()
    if media_type != PROBLEM_JSON:
        raise AssertionError(
            f"{response.status_code} answered as {content_type or 'no content type'}, not {PROBLEM_JSON}"
        )
    try:
        problem = json.loads(response.content or b"")
    except ValueError as error:
        raise AssertionError(f"{response.status_code} problem document is not JSON: {error}") from None
    if not isinstance(problem, dict):
        raise AssertionError(f"{response.status_code} problem document is not an object")
    missing = [member for member in ("type", "title", "status") if member not in problem]
    if missing:
        raise AssertionError(f"{response.status_code} problem document lacks {', '.join(missing)}")
    if problem["status"] != response.status_code:
        raise AssertionError(
            f"the problem document says status {problem['status']!r}, the response {response.status_code}"
        )
    return None
