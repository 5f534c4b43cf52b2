//! The names a template sees: a page's own values over the values every page of a language
//! shares, looked up by hash.
//!
//! minijinja's `context!` maps are scanned key by key and merged maps one after another, so a
//! lookup of `t` or `lang` from deep in a page compared a few dozen strings; with thousands of
//! lookups per page that was a visible share of a build.

use minijinja::Value;
use minijinja::value::{Enumerator, Object};
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::sync::Arc;

/// Names → values, falling back to an outer scope.
#[derive(Debug, Default)]
pub struct Scope {
    names: FxHashMap<Cow<'static, str>, Value>,
    outer: Option<Arc<Scope>>,
}

impl Scope {
    /// An empty scope over `outer`.
    pub fn over(outer: &Arc<Scope>) -> Self {
        Scope {
            names: FxHashMap::default(),
            outer: Some(outer.clone()),
        }
    }

    /// Sets `name` (replacing any earlier value of this scope).
    pub fn set(&mut self, name: impl Into<Cow<'static, str>>, value: impl Into<Value>) {
        self.names.insert(name.into(), value.into());
    }

    /// Sets every pair.
    pub fn with(mut self, pairs: impl IntoIterator<Item = (&'static str, Value)>) -> Self {
        for (name, value) in pairs {
            self.set(name, value);
        }
        self
    }

    /// The value of `name` here or in an outer scope.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.names
            .get(name)
            .or_else(|| self.outer.as_ref().and_then(|o| o.get(name)))
    }

    /// The scope as a template value.
    pub fn into_value(self) -> Value {
        Value::from_object(self)
    }

    fn names(&self) -> Vec<&str> {
        let mut all: Vec<&str> = self.names.keys().map(|k| k.as_ref()).collect();
        if let Some(o) = &self.outer {
            all.extend(o.names());
        }
        all.sort_unstable();
        all.dedup();
        all
    }
}

impl Object for Scope {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.get(key.as_str()?).cloned()
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        self.get(key).cloned()
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(self.names().into_iter().map(Value::from).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inner_names_hide_outer_ones_and_all_are_listed_once_in_order() {
        let mut outer = Scope::default();
        outer.set("b", 1);
        outer.set("a", 2);
        let outer = Arc::new(outer);
        let mut inner = Scope::over(&outer);
        inner.set("b", 3);
        inner.set("c", 4);
        let v = inner.into_value();
        assert_eq!(v.get_attr("b").unwrap(), Value::from(3));
        assert_eq!(v.get_attr("a").unwrap(), Value::from(2));
        assert!(v.get_attr("z").unwrap().is_undefined());
        let keys: Vec<String> = v.try_iter().unwrap().map(|k| k.to_string()).collect();
        assert_eq!(keys, ["a", "b", "c"]);
    }
}
