from services.web.translations import main

main()
