print("atoms-tui")
