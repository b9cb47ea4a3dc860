// Canteen pages: meals (registered in this file).
