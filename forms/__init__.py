"""The structured forms engine: typed, versioned form definitions and their answers.

It knows nothing of workflows; forum_workflows uses it, never the other way round.
"""
