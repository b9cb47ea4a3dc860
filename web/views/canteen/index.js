// Canteen pages, each file registering its own pages lazily: the meal card
// (staff on a phone, the cashier's desk, readers), the finance side
// (reconciliation, statements, subsidies, the manager's day) and the meals
// (menus, bookings, ratings, food safety).
import './card.js';
import './finance.js';
import './meals.js';
