"""The cell types and groups shipped with the product (the groups the 2019 summary counted by); users may edit them."""

DEFAULT_GROUPS = [
    ("AP_KP", "Ấp - khu phố", 1),
    ("XDD_NKV", "Xây dựng Đảng - Đoàn thể, ngoài khu vực nhà nước", 2),
    ("NG_CQ", "Ngành, cơ quan, Công an, Quân sự, trường học", 3),
]

DEFAULT_CELL_TYPES = [
    ("AP", "Chi bộ ấp", "AP_KP"),
    ("KP", "Chi bộ khu phố", "AP_KP"),
    ("XDD", "Chi bộ xây dựng Đảng - Đoàn thể", "XDD_NKV"),
    ("NKV", "Chi bộ ngoài khu vực nhà nước", "XDD_NKV"),
    ("NG", "Chi bộ ngành", "NG_CQ"),
    ("CQ", "Chi bộ cơ quan", "NG_CQ"),
    ("CA", "Chi bộ Công an", "NG_CQ"),
    ("QS", "Chi bộ Quân sự", "NG_CQ"),
    ("TH", "Chi bộ trường học", "NG_CQ"),
    ("DNNN", "Chi bộ doanh nghiệp nhà nước", "NG_CQ"),
]


def install_default_cell_types(CellTypeGroup, CellType) -> None:
    """Create the default groups and types that are missing; existing rows are left as users edited them."""
    groups = {}
    for code, name, order in DEFAULT_GROUPS:
        groups[code], _created = CellTypeGroup.objects.get_or_create(
            code=code, defaults={"name": name, "order": order}
        )
    for code, name, group_code in DEFAULT_CELL_TYPES:
        CellType.objects.get_or_create(code=code, defaults={"name": name, "group": groups[group_code]})
