"""Interviews (约谈) and accountability (责任追究): issues handed over by the team, records per person."""
