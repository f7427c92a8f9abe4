-- Calendario: para cada día, la primera fecha pedida D que no es anterior a él.
--
-- Un movimiento (un ingreso, un egreso, una sentencia) ocurrido ese día cuenta en el saldo de D y de
-- todas las fechas posteriores: agrupar los movimientos por esa fecha, en lugar de por día, da los
-- mismos saldos en cada D con muchas menos filas. Va del primer ingreso del extracto a la última fecha
-- pedida; los días posteriores no cuentan en ninguna fecha pedida.
SELECT d.dia::DATE AS dia, f.fecha
FROM range((SELECT min(ingreso) FROM estancias), (SELECT max(fecha) FROM fechas) + 1, INTERVAL 1 DAY) d(dia)
ASOF JOIN fechas f ON f.fecha >= d.dia
