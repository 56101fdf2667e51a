"""Forum for Values: program pages, teams, the workflow engine, workspaces and certificates."""
