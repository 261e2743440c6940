//! Keeping the keyboard inside an open dialog or menu.

use wasm_bindgen::JsCast;

/// On Tab or Shift+Tab inside `root`, wraps the focus from the last control to the first and
/// back, so the keyboard stays in `root` while it is open. Other keys are left alone.
pub fn keep_tab_within(root: &web_sys::Element, ev: &web_sys::KeyboardEvent) {
    if ev.key() != "Tab" {
        return;
    }
    let Ok(list) = root.query_selector_all(
        "button:not([disabled]), select:not([disabled]), input:not([disabled]), textarea:not([disabled])",
    ) else {
        return;
    };
    let n = list.length();
    if n == 0 {
        return;
    }
    let active = web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element());
    let is = |i: u32| list.item(i).map(|x| Some(x.unchecked_into::<web_sys::Element>()) == active).unwrap_or(false);
    let inside = (0..n).any(is);
    let wrap_to = if !inside {
        Some(0)
    } else if ev.shift_key() && is(0) {
        Some(n - 1)
    } else if !ev.shift_key() && is(n - 1) {
        Some(0)
    } else {
        None
    };
    if let Some(el) = wrap_to.and_then(|i| list.item(i)).and_then(|x| x.dyn_into::<web_sys::HtmlElement>().ok()) {
        ev.prevent_default();
        let _ = el.focus();
    }
}
