"""A tile map of the 33 municipalities: one equal tile each, on a grid roughly as they lie
(north at the top, Sagamihara and Kawasaki above, the Miura peninsula to the south-east,
Hakone and Yugawara to the south-west). Equal tiles let the small towns be seen as well as
Yokohama, and need no map data from outside the site.

Plain data: municipality code → (column, row), columns west to east, rows north to south.
"""

from __future__ import annotations

TILE_LAYOUT: dict[str, tuple[int, int]] = {
    "141500": (4, 0),  # 相模原市
    "141305": (7, 0),  # 川崎市
    "144011": (3, 1),  # 愛川町
    "142166": (4, 1),  # 座間市
    "142131": (5, 1),  # 大和市
    "141003": (6, 1),  # 横浜市
    "144029": (2, 2),  # 清川村
    "142123": (3, 2),  # 厚木市
    "142158": (4, 2),  # 海老名市
    "142182": (5, 2),  # 綾瀬市
    "142042": (6, 2),  # 鎌倉市
    "142085": (7, 2),  # 逗子市
    "143642": (0, 3),  # 山北町
    "143634": (1, 3),  # 松田町
    "142115": (2, 3),  # 秦野市
    "142140": (3, 3),  # 伊勢原市
    "143219": (4, 3),  # 寒川町
    "142051": (5, 3),  # 藤沢市
    "143014": (6, 3),  # 葉山町
    "142018": (7, 3),  # 横須賀市
    "142174": (0, 4),  # 南足柄市
    "143669": (1, 4),  # 開成町
    "143626": (2, 4),  # 大井町
    "143618": (3, 4),  # 中井町
    "142034": (4, 4),  # 平塚市
    "142077": (5, 4),  # 茅ヶ崎市
    "142107": (7, 4),  # 三浦市
    "143821": (0, 5),  # 箱根町
    "142069": (1, 5),  # 小田原市
    "143421": (2, 5),  # 二宮町
    "143413": (3, 5),  # 大磯町
    "143847": (0, 6),  # 湯河原町
    "143839": (1, 6),  # 真鶴町
}
