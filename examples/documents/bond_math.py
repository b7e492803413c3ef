"""Small helpers for the quickstart: how much a bond loses when rates rise."""


def bond_price(face: float, coupon_rate: float, market_rate: float, years: int) -> float:
    """Present value of a bond paying an annual coupon, discounted at the market rate."""
    coupon = face * coupon_rate
    value = sum(coupon / (1 + market_rate) ** t for t in range(1, years + 1))
    return value + face / (1 + market_rate) ** years


def loss_from_rate_rise(face: float, coupon_rate: float, new_rate: float, years: int) -> float:
    """The mark-to-market loss on a bond bought at par when rates move to new_rate."""
    return face - bond_price(face, coupon_rate, new_rate, years)
