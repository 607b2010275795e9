"""Worked-example documents: Trace → view model (compose) → Jinja templates → md, tex, pdf, terminal."""
