// Tile server for the maps, e.g. "https://tile.openstreetmap.org/{z}/{x}/{y}.png".
// Empty: the base map shipped in web/basemap/ is drawn (works offline).
// The server may serve its own version of this file.
window.MAILLAGE_TILES = "";
