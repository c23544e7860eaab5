//! Every activation name the spec accepts, in one table.

/// The activations a layer can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    /// `Linear`: the identity.
    Linear,
    /// `ReLU`: `max(0, x)`.
    Relu,
    /// `Sigmoid`: the logistic function.
    Sigmoid,
    /// `Tanh`: the hyperbolic tangent.
    Tanh,
    /// `LeakyReLU` or `LeakyReLU(slope)`.
    LeakyRelu,
    /// `Softmax`: probabilities over the whole (last) layer.
    Softmax,
}

/// Spelling in a spec, the activation, and the runtime type implementing it.
pub const ACTIVATIONS: &[(&str, Activation, &str)] = &[
    ("Linear", Activation::Linear, "Linear"),
    ("ReLU", Activation::Relu, "Relu"),
    ("Sigmoid", Activation::Sigmoid, "Sigmoid"),
    ("Tanh", Activation::Tanh, "Tanh"),
    ("LeakyReLU", Activation::LeakyRelu, "LeakyRelu"),
    ("Softmax", Activation::Softmax, "Softmax"),
];

impl Activation {
    /// The activation spelled `name`, exactly.
    pub fn from_name(name: &str) -> Option<Self> {
        ACTIVATIONS
            .iter()
            .find(|(spelling, _, _)| *spelling == name)
            .map(|(_, activation, _)| *activation)
    }

    /// How the spec spells it.
    pub fn spelling(self) -> &'static str {
        ACTIVATIONS
            .iter()
            .find(|(_, activation, _)| *activation == self)
            .map_or("", |(spelling, _, _)| spelling)
    }

    /// Whether the spec may give it an argument, as in `LeakyReLU(0.2)`.
    pub fn takes_argument(self) -> bool {
        self == Self::LeakyRelu
    }

    /// Whether it works on a whole layer rather than neuron by neuron.
    pub fn is_softmax(self) -> bool {
        self == Self::Softmax
    }

    /// Whether seeded initialisation uses He (ReLU family) rather than Glorot.
    pub fn uses_he_init(self) -> bool {
        matches!(self, Self::Relu | Self::LeakyRelu)
    }

    /// The name of the type in `backprop_core::activation`.
    pub fn runtime_type(self) -> &'static str {
        ACTIVATIONS
            .iter()
            .find(|(_, activation, _)| *activation == self)
            .map_or("", |(_, _, ty)| ty)
    }
}

/// "`Linear`, `ReLU`, `Sigmoid` or `Tanh`", for error messages.
pub fn known_list() -> String {
    let names: Vec<String> = ACTIVATIONS
        .iter()
        .map(|(s, _, _)| format!("`{s}`"))
        .collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

/// The known activation `name` most likely meant: the same name in another
/// case, else the nearest by edit distance if it is close enough.
pub fn suggest(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    if let Some((s, _, _)) = ACTIVATIONS
        .iter()
        .find(|(s, _, _)| s.to_ascii_lowercase() == lower)
    {
        return Some(s);
    }
    ACTIVATIONS
        .iter()
        .map(|(s, _, _)| (edit_distance(&lower, &s.to_ascii_lowercase()), *s))
        .filter(|(d, s)| *d <= 2.max(s.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, s)| s)
}

/// Levenshtein distance over chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_nearest_or_recased_name() {
        assert_eq!(suggest("Sigmod"), Some("Sigmoid"));
        assert_eq!(suggest("relu"), Some("ReLU"));
        assert_eq!(suggest("Relu"), Some("ReLU"));
        assert_eq!(suggest("TANH"), Some("Tanh"));
        assert_eq!(suggest("Linaer"), Some("Linear"));
        assert_eq!(suggest("Softplus"), None);
        assert_eq!(suggest("softmax"), Some("Softmax"));
        assert_eq!(suggest("LeakyRelu"), Some("LeakyReLU"));
    }

    #[test]
    fn distance_is_levenshtein() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("abc", "abc"), 0);
    }

    #[test]
    fn table_is_consistent() {
        for (s, a, _) in ACTIVATIONS {
            assert_eq!(Activation::from_name(s), Some(*a));
            assert_eq!(a.spelling(), *s);
        }
        assert_eq!(
            known_list(),
            "`Linear`, `ReLU`, `Sigmoid`, `Tanh`, `LeakyReLU` or `Softmax`"
        );
    }
}
