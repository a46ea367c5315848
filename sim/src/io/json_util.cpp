#include "modeshift/io/json_util.hpp"

#include <fmt/format.h>

#include <cmath>

#include "modeshift/io/atomic_file.hpp"

namespace modeshift {

Json read_json_file(const std::filesystem::path& path) {
    const std::string text = read_file_bytes(path);
    auto line_at = [&](std::size_t byte) {
        std::uint64_t line = 1;
        for (std::size_t i = 0; i < std::min<std::size_t>(byte, text.size()); ++i)
            if (text[i] == '\n') ++line;
        return line;
    };
    try {
        return Json::parse(text);
    } catch (const Json::parse_error& e) {
        // Convert the byte offset into a line number for the message.
        throw InputError(path.string(), line_at(e.byte), "",
                         fmt::format("invalid JSON: {}", e.what()));
    } catch (const Json::out_of_range& e) {
        // A number too large for a double (1e999): nlohmann names the token but not its place.
        const std::string what = e.what();
        const auto q = what.find('\'');
        const auto q2 = q == std::string::npos ? q : what.find('\'', q + 1);
        const auto at =
            q2 == std::string::npos ? std::string::npos : text.find(what.substr(q + 1, q2 - q - 1));
        throw InputError(path.string(), at == std::string::npos ? 0 : line_at(at), "",
                         fmt::format("invalid JSON: {} (numbers must fit a double)", what));
    } catch (const Json::exception& e) {
        throw InputError(path.string(), 0, "", fmt::format("invalid JSON: {}", e.what()));
    }
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
