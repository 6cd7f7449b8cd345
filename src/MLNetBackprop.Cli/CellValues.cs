using System.Globalization;

namespace MLNetBackprop.Cli;

/// <summary>How the tool reads one cell: missing markers, numbers, dates, and the numeric parts of a date.</summary>
internal static class CellValues
{
    /// <summary>The parts a date column becomes, in order; the hour and minute only when some value has a time.</summary>
    public static readonly string[] DateParts = ["year", "month", "day", "weekday", "hour", "minute"];

    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm", "yyyy-MM-dd HH:mm",
        "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy/MM/dd", "yyyy/MM/dd HH:mm:ss",
        "M/d/yyyy", "M/d/yyyy H:mm", "M/d/yyyy H:mm:ss", "d.M.yyyy", "yyyyMMdd'T'HHmmss",
    ];

    private static readonly HashSet<string> MissingMarkers = new(["?", "-", "NA", "N/A", "#N/A", "null", "NaN"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Empty, <c>NA</c>, <c>N/A</c>, <c>#N/A</c>, <c>?</c>, <c>-</c>, <c>null</c> and <c>NaN</c> (any case) mean a missing value.</summary>
    public static bool IsMissing(string value) => value.Length == 0 || MissingMarkers.Contains(value);

    /// <summary>A finite number in the invariant culture (a dot for decimals, no thousands separators).</summary>
    public static bool TryNumber(string value, out float number) =>
        float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && float.IsFinite(number);

    /// <summary>An ISO 8601 date or date-time, or one of a few common unambiguous forms.</summary>
    public static bool TryDate(string value, out DateTime date) =>
        DateTime.TryParseExact(value, DateFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AdjustToUniversal, out date);

    /// <summary>The value of date part <paramref name="part"/> (an index into <see cref="DateParts"/>).</summary>
    public static float DatePart(DateTime date, int part) => part switch
    {
        0 => date.Year,
        1 => date.Month,
        2 => date.Day,
        3 => (float)date.DayOfWeek,
        4 => date.Hour,
        _ => date.Minute,
    };
}
