// TUICore module: see docs/architecture.md
