// The progress page's history: each skill's mastery after every answer the
// learner gave in the course (what practice showed then), one line per skill,
// with the 95 % "mastered" line. Drawn on a Canvas: a handful of series of at
// most a few thousand points.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kite 1.0

ColumnLayout {
    id: chart
    property var series: []  // Progress.history
    property int answers: 0  // Progress.answers
    readonly property var colours: ["#1e88e5", "#e53935", "#43a047", "#fb8c00", "#8e24aa", "#00897b", "#6d4c41", "#546e7a"]
    spacing: 6

    // A sentence for screen readers: where each skill started and is now.
    function summary() {
        var parts = []
        for (var i = 0; i < series.length; ++i) {
            var pts = series[i].points
            parts.push(qsTr("%1 from %2 % to %3 %").arg(series[i].name)
                       .arg(Math.round(100 * pts[0].p)).arg(Math.round(100 * pts[pts.length - 1].p)))
        }
        return qsTr("Mastery over %n answer(s): ", "", answers) + parts.join("; ")
    }

    Label {
        text: qsTr("Mastery over time")
        font.bold: true
    }
    Canvas {
        id: canvas
        objectName: "historyChart"
        Layout.fillWidth: true
        Layout.preferredHeight: 180
        visible: chart.answers > 0
        Accessible.role: Accessible.Chart
        Accessible.name: chart.summary()
        onPaint: {
            var ctx = getContext("2d")
            var left = 40, bottom = height - 20, top = 8, right = width - 8
            ctx.reset()
            ctx.font = "11px sans-serif"
            ctx.fillStyle = palette.windowText
            ctx.strokeStyle = palette.mid
            ctx.lineWidth = 1
            // Axes: 0 to 100 % against the answers.
            ctx.beginPath()
            ctx.moveTo(left, top); ctx.lineTo(left, bottom); ctx.lineTo(right, bottom)
            ctx.stroke()
            ctx.fillText("100%", 2, top + 8)
            ctx.fillText("0%", 14, bottom)
            ctx.fillText(qsTr("%n answer(s)", "", chart.answers), right - 80, height - 4)
            function x(answer) { return left + (right - left) * (chart.answers > 1 ? answer / (chart.answers - 1) : 0.5) }
            function y(p) { return bottom - (bottom - top) * p }
            // Mastered from 95 %.
            ctx.setLineDash([4, 4])
            ctx.beginPath(); ctx.moveTo(left, y(0.95)); ctx.lineTo(right, y(0.95)); ctx.stroke()
            ctx.setLineDash([])
            ctx.lineWidth = 2
            for (var i = 0; i < chart.series.length; ++i) {
                var pts = chart.series[i].points
                ctx.strokeStyle = chart.colours[i % chart.colours.length]
                ctx.beginPath()
                ctx.moveTo(x(pts[0].answer), y(pts[0].p))
                for (var j = 1; j < pts.length; ++j) ctx.lineTo(x(pts[j].answer), y(pts[j].p))
                if (pts.length === 1) ctx.lineTo(x(pts[0].answer) + 2, y(pts[0].p))
                ctx.stroke()
            }
        }
        Connections {
            target: chart
            function onSeriesChanged() { canvas.requestPaint() }
        }
        onWidthChanged: requestPaint()
        onHeightChanged: requestPaint()
        onVisibleChanged: requestPaint()
    }
    Flow {
        Layout.fillWidth: true
        spacing: 12
        visible: chart.answers > 0
        Repeater {
            model: chart.series
            delegate: Row {
                required property var modelData
                required property int index
                spacing: 4
                Rectangle { width: 12; height: 12; radius: 2; color: chart.colours[index % chart.colours.length]; anchors.verticalCenter: parent.verticalCenter }
                Label { text: modelData.name }
            }
        }
    }
    Label {
        visible: chart.answers === 0
        text: qsTr("Answer a few questions to see your mastery grow here.")
        opacity: 0.7
    }
}
