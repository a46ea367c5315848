#pragma once
/// Strong integer IDs: a LinkId cannot be passed where a NodeId is meant.
#include <compare>
#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

namespace modeshift {

/// A dense 0-based index wrapped in a distinct type per entity kind (Tag).
template <class Tag, class Rep = std::uint32_t>
class Id {
  public:
    using rep_type = Rep;
    static constexpr Rep kInvalid = std::numeric_limits<Rep>::max();

    constexpr Id() = default;
    constexpr explicit Id(Rep v) : v_(v) {}
    template <class Int>
    static constexpr Id from_index(Int i) {
        return Id(static_cast<Rep>(i));
    }

    [[nodiscard]] constexpr Rep value() const { return v_; }
    [[nodiscard]] constexpr std::size_t index() const { return static_cast<std::size_t>(v_); }
    [[nodiscard]] constexpr bool valid() const { return v_ != kInvalid; }
    constexpr auto operator<=>(const Id&) const = default;

    template <class Archive>
    void serialize(Archive& ar) {
        ar(v_);
    }

  private:
    Rep v_ = kInvalid;
};

struct NodeTag {};
struct LinkTag {};
struct ZoneTag {};
struct StopTag {};
struct LineTag {};
struct AgentTag {};
struct VehicleTag {};
struct TripTag {};
struct BikeStationTag {};

using NodeId = Id<NodeTag>;
using LinkId = Id<LinkTag>;
using ZoneId = Id<ZoneTag>;
using StopId = Id<StopTag>;
using LineId = Id<LineTag>;
using AgentId = Id<AgentTag>;
using VehicleId = Id<VehicleTag>;
using TripId = Id<TripTag>;
using BikeStationId = Id<BikeStationTag>;

/// Iterate all IDs 0..n-1 of a kind: for (auto id : id_range<LinkId>(n)).
template <class IdT>
struct IdRange {
    struct It {
        typename IdT::rep_type i;
        IdT operator*() const { return IdT(i); }
        It& operator++() {
            ++i;
            return *this;
        }
        bool operator!=(const It& o) const { return i != o.i; }
    };
    typename IdT::rep_type n;
    It begin() const { return {0}; }
    It end() const { return {n}; }
};
template <class IdT>
IdRange<IdT> id_range(std::size_t n) {
    return {static_cast<typename IdT::rep_type>(n)};
}

}  // namespace modeshift

template <class Tag, class Rep>
struct std::hash<modeshift::Id<Tag, Rep>> {
    std::size_t operator()(modeshift::Id<Tag, Rep> id) const noexcept {
        return std::hash<Rep>{}(id.value());
    }
};
