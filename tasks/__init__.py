"""Pure pipeline stages over the typed document model; none of them imports Prefect."""
