from hsreg.cli import main

raise SystemExit(main())
