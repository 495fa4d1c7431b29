"""The shared union-find: groups follow the order items were added."""

from parallax.unionfind import UnionFind


def test_groups_keep_input_order_and_earliest_root() -> None:
    uf = UnionFind(["c", "a", "b", "d"])
    uf.union("b", "a")
    uf.union("d", "c")
    assert uf.find("a") == "a" and uf.find("d") == "c"
    assert uf.groups() == {"c": ["c", "d"], "a": ["a", "b"]}
    uf.union("a", "d")
    assert list(uf.groups().values()) == [["c", "a", "b", "d"]]
