// Tile server for the maps, e.g. "https://tile.openstreetmap.org/{z}/{x}/{y}.png".
// Empty: no background map; commune centres are drawn instead (works offline).
// The server may serve its own version of this file.
window.MAILLAGE_TILES = "";
