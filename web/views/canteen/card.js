// Canteen pages: card (registered in this file).
