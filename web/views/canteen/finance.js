// Canteen pages: finance (registered in this file).
