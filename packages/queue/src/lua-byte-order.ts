/**
 * A Lua function `before(a, b)`: whether `a` sorts before `b` by their bytes, as a sorted set
 * orders the members of one score. Lua's own `<` on strings follows the server's locale.
 */
export const LUA_BYTE_ORDER = `
local function before(a, b)
  for i = 1, math.min(#a, #b) do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return #a < #b
end`;
