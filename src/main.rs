fn main() {
    // A fault in the dashboard shows in the console with its place in the code, not only as the
    // wasm trap "unreachable" (the release build aborts on a panic; the hook runs before that).
    std::panic::set_hook(Box::new(|info| web_sys::console::error_1(&format!("Mojo Dashboard fault: {info}").into())));
    // index.html's "Opening Mojo Dashboard…" (and its slow or failed download notice) has done its job.
    if let Some(boot) = leptos::prelude::document().get_element_by_id("boot") {
        boot.remove();
    }
    leptos::mount::mount_to_body(mojo_dashboard::App);
}
