"""Draft a plan fixture from a plan's own text, for an admin to review.

Pure Python (no Django): `draft_plan` turns cleaned text into the fixture format of
`fixtures/README.md`; every item the rules are unsure of carries `review: <why>`.
"""
