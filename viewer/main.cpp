// modeshift-viewer: replays run files (DIR/run.msrun) for planners and public meetings.
#include "modeshift/core/process.hpp"
#include "src/app.hpp"

int main(int argc, char** argv) {
    modeshift::reexec_with_huge_pages(argv);  // large run files open about a third faster
    modeshift::viewer::Options opt;
    if (const int rc = modeshift::viewer::parse_options(argc, argv, opt); rc != 0)
        return rc < 0 ? 0 : rc;
    return modeshift::viewer::run_viewer(opt);
}
