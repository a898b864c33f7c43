//! Kubernetes resource quantities (`500m`, `0.5`, `1Gi`, `1e3`), parsed to an exact integer
//! count of nano-units so that `1Gi` equals `1024Mi` and `0.5` equals `500m`.

use std::fmt;

/// A quantity in units of 10^-9 (a CPU of `1` is `1_000_000_000`). An `i128` holds `8Ei` in
/// nano-units with room to spare.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quantity(pub i128);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a valid quantity")]
pub struct QuantityError(pub String);

const NANO: i128 = 1_000_000_000;

impl Quantity {
    pub fn parse(text: &str) -> Result<Self, QuantityError> {
        let err = || QuantityError(text.to_string());
        let s = text.trim();
        if s.is_empty() {
            return Err(err());
        }
        let (sign, s) = match s.as_bytes()[0] {
            b'-' => (-1, &s[1..]),
            b'+' => (1, &s[1..]),
            _ => (1, s),
        };
        let number_end = s
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(s.len());
        let (number, suffix) = s.split_at(number_end);
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return Err(err());
        }
        let (int_part, frac_part) = number.split_once('.').unwrap_or((number, ""));
        // Value = digits * 10^(exp10) * 2^(exp2), computed exactly in nano-units.
        let mut mantissa: i128 = 0;
        let digits = int_part.bytes().chain(frac_part.bytes());
        for b in digits.skip_while(|b| *b == b'0') {
            mantissa = mantissa
                .checked_mul(10)
                .and_then(|m| m.checked_add(i128::from(b - b'0')))
                .ok_or_else(err)?;
        }
        let mut exp10: i32 = -(frac_part.len() as i32);
        let mut exp2: u32 = 0;
        match suffix {
            "" => {}
            "n" => exp10 -= 9,
            "u" => exp10 -= 6,
            "m" => exp10 -= 3,
            "k" => exp10 += 3,
            "M" => exp10 += 6,
            "G" => exp10 += 9,
            "T" => exp10 += 12,
            "P" => exp10 += 15,
            "E" => exp10 += 18,
            "Ki" => exp2 = 10,
            "Mi" => exp2 = 20,
            "Gi" => exp2 = 30,
            "Ti" => exp2 = 40,
            "Pi" => exp2 = 50,
            "Ei" => exp2 = 60,
            other if other.starts_with(['e', 'E']) => {
                let e: i32 = other[1..].parse().map_err(|_| err())?;
                if !(-30..=30).contains(&e) {
                    return Err(err());
                }
                exp10 += e;
            }
            _ => return Err(err()),
        }
        let mut value = mantissa.checked_mul(1i128 << exp2).ok_or_else(err)?;
        let scale = exp10 + 9; // to nano-units
        if scale >= 0 {
            value = value
                .checked_mul(10i128.checked_pow(scale as u32).ok_or_else(err)?)
                .ok_or_else(err)?;
        } else {
            // Kubernetes rounds sub-nano precision up.
            let div = 10i128.checked_pow((-scale) as u32).ok_or_else(err)?;
            value = (value + div - 1) / div;
        }
        Ok(Quantity(sign * value))
    }

    /// Reads a quantity from a scalar node, whether written as a string or a number.
    pub fn from_node(node: &crate::load::tree::Node<'_>) -> Option<Result<Self, QuantityError>> {
        node.scalar_text().map(Quantity::parse)
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    pub fn checked_mul(self, n: i128) -> Option<Self> {
        self.0.checked_mul(n).map(Quantity)
    }

    pub fn checked_add(self, other: Self) -> Option<Self> {
        self.0.checked_add(other.0).map(Quantity)
    }

    /// The value in whole units, as a float (for messages and ratios).
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / NANO as f64
    }
}

impl fmt::Display for Quantity {
    /// A readable rendering: binary suffixes for whole multiples of 1024, else cores/millis.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.0;
        if v % NANO == 0 {
            let units = v / NANO;
            for (suffix, shift) in [
                ("Ei", 60),
                ("Pi", 50),
                ("Ti", 40),
                ("Gi", 30),
                ("Mi", 20),
                ("Ki", 10),
            ] {
                let m = 1i128 << shift;
                if units != 0 && units % m == 0 {
                    return write!(f, "{}{suffix}", units / m);
                }
            }
            return write!(f, "{units}");
        }
        if v % 1_000_000 == 0 {
            return write!(f, "{}m", v / 1_000_000);
        }
        write!(f, "{}n", v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Quantity {
        Quantity::parse(s).unwrap()
    }

    #[test]
    fn equal_quantities_compare_equal() {
        assert_eq!(q("500m"), q("0.5"));
        assert_eq!(q("1Gi"), q("1024Mi"));
        assert_eq!(q("1e3"), q("1k"));
        assert_eq!(q("1E3"), q("1000"));
        assert!(q("2000m") > q("1.5"));
        assert!(q("129Mi") > q("128M"));
        assert_eq!(q("1n"), Quantity(1));
        // Leading zeros run on past the decimal point.
        assert_eq!(q("0.05"), q("50m"));
        assert_eq!(q("000.001"), q("1m"));
        assert_eq!(q("0.0"), q("0"));
        assert_eq!(q("00100"), q("100"));
    }

    #[test]
    fn invalid_quantities_are_rejected() {
        for s in ["", "abc", "1.2.3", "5X", "Gi", "1e999", "--1"] {
            assert!(Quantity::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn display() {
        assert_eq!(q("4Gi").to_string(), "4Gi");
        assert_eq!(q("500m").to_string(), "500m");
        assert_eq!(q("2").to_string(), "2");
    }
}
