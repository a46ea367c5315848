#include "feed_source.hpp"

#include <fmt/format.h>
#include <zip.h>

#include <algorithm>
#include <memory>

#include "modeshift/core/error.hpp"
#include "modeshift/io/input_file.hpp"

namespace modeshift::gtfs {
namespace {

struct ZipCloser {
    void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileCloser {
    void operator()(zip_file_t* f) const { zip_fclose(f); }
};

std::string zip_message(int code) {
    zip_error_t err;
    zip_error_init_with_code(&err, code);
    std::string msg = zip_error_strerror(&err);
    zip_error_fini(&err);
    return msg;
}

}  // namespace

FeedSource::FeedSource(const std::filesystem::path& feed) : path_(feed) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::is_directory(feed, ec)) return;
    if (!fs::exists(feed, ec))
        throw InputError(feed.string(), 0, "feed", "no such directory or zip file");
    // A device or a pipe would never give libzip the end of an archive to read.
    check_input_file(feed, kBinaryInput);
    zip_ = true;
    int code = 0;
    // ZIP_CHECKCONS: a truncated or inconsistent archive is refused when it is opened.
    std::unique_ptr<zip_t, ZipCloser> z(
        zip_open(feed.string().c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code));
    if (!z)
        throw InputError(feed.string(), 0, "zip",
                         fmt::format("not a readable zip archive (truncated or damaged?): {}",
                                     zip_message(code)));
    const auto n = zip_get_num_entries(z.get(), 0);
    for (zip_int64_t i = 0; i < n; ++i) {
        zip_stat_t st;
        if (zip_stat_index(z.get(), static_cast<zip_uint64_t>(i), 0, &st) != 0) continue;
        std::string name = st.name;
        if (name.empty() || name.back() == '/') continue;
        const auto slash = name.rfind('/');
        const std::string base = slash == std::string::npos ? name : name.substr(slash + 1);
        if (base.size() < 4 || base.substr(base.size() - 4) != ".txt") continue;
        if (base.rfind("._", 0) == 0) continue;  // macOS resource forks
        std::unique_ptr<zip_file_t, ZipFileCloser> f(
            zip_fopen_index(z.get(), static_cast<zip_uint64_t>(i), 0));
        if (!f)
            throw InputError(feed.string(), 0, name,
                             fmt::format("cannot open entry: {}", zip_strerror(z.get())));
        if ((st.valid & ZIP_STAT_SIZE) == 0)
            throw InputError(feed.string(), 0, name, "entry without a size");
        // The same cap as for the file on disk: a small archive may unpack to gigabytes.
        check_input_size(st.size, kTextInput, feed.string(), name);
        // The size comes from the archive: grow the buffer as data arrives instead of trusting it
        // up front (a damaged header can claim gigabytes).
        std::string content;
        content.reserve(static_cast<std::size_t>(std::min<zip_uint64_t>(st.size, 64u << 20)));
        char chunk[1 << 16];
        zip_uint64_t got = 0;
        while (got < st.size) {
            const auto r =
                zip_fread(f.get(), chunk, std::min<zip_uint64_t>(sizeof chunk, st.size - got));
            if (r < 0)
                throw InputError(feed.string(), 0, name,
                                 fmt::format("damaged entry (CRC or data error): {}",
                                             zip_file_strerror(f.get())));
            if (r == 0) break;
            content.append(chunk, static_cast<std::size_t>(r));
            got += static_cast<zip_uint64_t>(r);
        }
        if (got != st.size)
            throw InputError(feed.string(), 0, name,
                             "entry is shorter than its header says (truncated)");
        // One more read reaches the end of the entry, where libzip compares the data with its CRC.
        const auto tail = zip_fread(f.get(), chunk, sizeof chunk);
        if (tail < 0)
            throw InputError(
                feed.string(), 0, name,
                fmt::format("damaged entry (CRC or data error): {}", zip_file_strerror(f.get())));
        if (tail > 0)
            throw InputError(feed.string(), 0, name, "entry is longer than its header says");
        if (zip_files_.count(base))
            throw InputError(feed.string(), 0, name,
                             fmt::format("the archive holds '{}' twice", base));
        zip_files_.emplace(base, std::move(content));
    }
}

std::optional<std::string> FeedSource::read(const std::string& name) const {
    if (zip_) {
        auto it = zip_files_.find(name);
        if (it == zip_files_.end()) return std::nullopt;
        return it->second;
    }
    const auto p = path_ / name;
    std::error_code ec;
    if (!std::filesystem::exists(p, ec)) return std::nullopt;
    return read_input_file(p, kTextInput);
}

std::string FeedSource::display_name(const std::string& name) const {
    return zip_ ? path_.string() + ":" + name : (path_ / name).string();
}

}  // namespace modeshift::gtfs
