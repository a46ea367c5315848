#include "modeshift/io/json_util.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_set>
#include <vector>

#include "modeshift/io/input_file.hpp"

namespace modeshift {

namespace {

/// Where the parser is: one frame per open object or array, for the JSON path of a duplicate key.
struct JsonFrame {
    bool array = false;
    std::size_t index = 0;                 ///< next element (arrays)
    std::string key;                       ///< current member (objects)
    std::unordered_set<std::string> keys;  ///< members seen so far (objects)
};

std::string path_of(const std::vector<JsonFrame>& frames) {
    std::string path = "$";
    for (const JsonFrame& f : frames)
        path += f.array ? fmt::format("[{}]", f.index) : (f.key.empty() ? "" : "." + f.key);
    return path;
}

/// A parser callback that refuses a key given twice in one object: nlohmann::json (like most
/// readers) would keep the last one silently, so a second "frequency_factor" or "network" further
/// down a file would override the first without a word.
class DuplicateKeyCheck {
  public:
    explicit DuplicateKeyCheck(std::string file) : file_(std::move(file)) {}

    bool operator()(int /*depth*/, Json::parse_event_t event, Json& parsed) {
        using E = Json::parse_event_t;
        switch (event) {
            case E::object_start:
            case E::array_start:
                frames_.push_back({event == E::array_start, 0, {}, {}});
                break;
            case E::key: {
                JsonFrame& f = frames_.back();
                f.key = parsed.get<std::string>();
                if (!f.keys.insert(f.key).second)
                    throw InputError(file_, 0, path_of(frames_),
                                     "duplicate key: the object gives it twice (a JSON reader "
                                     "would keep one of them silently)");
                break;
            }
            case E::object_end:
            case E::array_end:
                frames_.pop_back();
                next_element();
                break;
            case E::value:
                next_element();
                break;
        }
        return true;
    }

  private:
    void next_element() {
        if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
    }

    std::string file_;
    std::vector<JsonFrame> frames_;
};

}  // namespace

Json parse_json_text(const std::string& text, const std::string& origin) {
    auto line_at = [&](std::size_t byte) {
        std::uint64_t line = 1;
        for (std::size_t i = 0; i < std::min<std::size_t>(byte, text.size()); ++i)
            if (text[i] == '\n') ++line;
        return line;
    };
    try {
        return Json::parse(text, DuplicateKeyCheck(origin));
    } catch (const Json::parse_error& e) {
        // Convert the byte offset into a line number for the message.
        throw InputError(origin, line_at(e.byte), "", fmt::format("invalid JSON: {}", e.what()));
    } catch (const Json::out_of_range& e) {
        // A number too large for a double (1e999): nlohmann names the token but not its place.
        const std::string what = e.what();
        const auto q = what.find('\'');
        const auto q2 = q == std::string::npos ? q : what.find('\'', q + 1);
        const auto at =
            q2 == std::string::npos ? std::string::npos : text.find(what.substr(q + 1, q2 - q - 1));
        throw InputError(origin, at == std::string::npos ? 0 : line_at(at), "",
                         fmt::format("invalid JSON: {} (numbers must fit a double)", what));
    } catch (const Json::exception& e) {
        throw InputError(origin, 0, "", fmt::format("invalid JSON: {}", e.what()));
    }
}

Json read_json_file(const std::filesystem::path& path) {
    return parse_json_text(read_input_file(path, kJsonInput), path.string());
}

JsonCursor JsonCursor::at(const std::string& key) const {
    expect_object();
    auto it = j_->find(key);
    if (it == j_->end()) throw InputError(file_, 0, path_ + "." + key, "required field is missing");
    return JsonCursor(*it, file_, path_ + "." + key);
}

JsonCursor JsonCursor::at(std::size_t i) const {
    expect_array();
    if (i >= j_->size()) fail(fmt::format("index {} out of range (size {})", i, j_->size()));
    return JsonCursor((*j_)[i], file_, fmt::format("{}[{}]", path_, i));
}

std::size_t JsonCursor::size() const {
    expect_array();
    return j_->size();
}

double JsonCursor::number() const {
    if (!j_->is_number()) fail(fmt::format("expected a number, got {}", j_->type_name()));
    const double v = j_->get<double>();
    if (!std::isfinite(v)) fail("expected a finite number");
    return v;
}

long long JsonCursor::integer() const {
    if (!j_->is_number_integer()) fail(fmt::format("expected an integer, got {}", j_->dump()));
    return j_->get<long long>();
}

std::string JsonCursor::string() const {
    if (!j_->is_string()) fail(fmt::format("expected a string, got {}", j_->type_name()));
    return j_->get<std::string>();
}

bool JsonCursor::boolean() const {
    if (!j_->is_boolean()) fail(fmt::format("expected true or false, got {}", j_->type_name()));
    return j_->get<bool>();
}

void JsonCursor::expect_object() const {
    if (!j_->is_object()) fail(fmt::format("expected an object, got {}", j_->type_name()));
}

void JsonCursor::expect_array() const {
    if (!j_->is_array()) fail(fmt::format("expected an array, got {}", j_->type_name()));
}

void JsonCursor::only_keys(std::initializer_list<const char*> allowed) const {
    expect_object();
    for (auto it = j_->begin(); it != j_->end(); ++it) {
        bool ok = false;
        for (const char* a : allowed) ok = ok || it.key() == a;
        if (!ok) {
            std::string list;
            for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
            throw InputError(file_, 0, path_ + "." + it.key(),
                             fmt::format("unknown field (allowed: {})", list));
        }
    }
}

void JsonCursor::fail(const std::string& message) const {
    throw InputError(file_, 0, path_, message);
}

}  // namespace modeshift
