"""Inference: the cached RDFS / OWL 2 RL closure of a graph (closure), the fast semi-naive reasoner
(reasoner) over its schema (schema, rdfs_schema, owl_schema, rule_terms), and owlrl, the reference it
is checked against (owlrl_reference)."""
