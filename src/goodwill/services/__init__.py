"""Use cases: one keyword-only function per thing a user does.

The only door that cli/, web/ and the API use. Every query is scoped to the
caller's workspace through :func:`goodwill.services.context.scoped`.
"""
